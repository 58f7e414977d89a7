// Inline so the page needs no asset route and the CSP can stay at default-src 'none'.
export const STYLES = `
:root {
  --bg: #f5f6f8; --card: #fff; --text: #1c2330; --muted: #667085; --line: #e3e6eb;
  --accent: #3557d6; --code-bg: #f1f3f6;
  --ok: #117a45; --ok-bg: #e3f5ea; --bad: #b42318; --bad-bg: #fde8e6;
  --warn: #93570b; --warn-bg: #fdf1dc; --info: #1f5fbf; --info-bg: #e4eeff;
  --idle: #545f71; --idle-bg: #eceef2;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418; --card: #191d23; --text: #e6e9ee; --muted: #9aa3b2; --line: #2b313a;
    --accent: #8aa4ff; --code-bg: #20252d;
    --ok: #6fd69b; --ok-bg: #153423; --bad: #ff8a80; --bad-bg: #3d1a18;
    --warn: #f3be6b; --warn-bg: #3a2a10; --info: #8fb5ff; --info-bg: #17284a;
    --idle: #b5bdca; --idle-bg: #262c35;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; }
pre {
  background: var(--code-bg); padding: 12px; border-radius: 6px; margin: 8px 0 0;
  overflow: auto; max-height: 70vh; white-space: pre;
}
h1 { font-size: 22px; margin: 0 0 4px; display: flex; flex-wrap: wrap; align-items: center; gap: 10px; }
h2 { font-size: 16px; margin: 0; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
.top { background: var(--card); border-bottom: 1px solid var(--line); margin-bottom: 24px; }
.top .wrap { display: flex; align-items: center; justify-content: space-between; height: 52px; }
.brand { font-weight: 700; font-size: 16px; color: var(--text); letter-spacing: -0.01em; }
.brand span { color: var(--accent); }
main { padding-bottom: 48px; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  margin-bottom: 20px; overflow: hidden;
}
.card-head {
  display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between;
  padding: 14px 16px; border-bottom: 1px solid var(--line);
}
.card-body { padding: 16px; }
.card-body > :first-child { margin-top: 0; }
.card-body > :last-child { margin-bottom: 0; }
.muted { color: var(--muted); }
.small { font-size: 12.5px; }
.page-head { margin-bottom: 20px; }
.table-scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 9px 16px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: color-mix(in srgb, var(--bg) 60%, transparent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.copy {
  display: block; user-select: all; -webkit-user-select: all; cursor: text;
  word-break: break-all; padding: 6px 8px; border: 1px solid var(--line);
}
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  white-space: nowrap; background: var(--idle-bg); color: var(--idle);
}
.badge-succeeded, .badge-on { background: var(--ok-bg); color: var(--ok); }
.badge-failed { background: var(--bad-bg); color: var(--bad); }
.badge-completed_with_errors { background: var(--warn-bg); color: var(--warn); }
.badge-running { background: var(--info-bg); color: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 6px; }
.filters a {
  padding: 2px 10px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); font-size: 12.5px;
}
.filters a[aria-current] { background: var(--text); border-color: var(--text); color: var(--card); }
.pager { display: flex; gap: 16px; padding: 12px 16px; border-top: 1px solid var(--line); }
.empty { padding: 24px 16px; margin: 0; color: var(--muted); }
.facts { margin-bottom: 12px; display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 14px 24px; margin-top: 0; }
.facts dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
.facts dd { margin: 2px 0 0; overflow-wrap: anywhere; }
.error-box, .warn-box, .note-box {
  border-radius: 8px; padding: 10px 12px; margin-top: 10px; overflow-wrap: anywhere;
}
.error-box { background: var(--bad-bg); color: var(--bad); }
.note-box { background: var(--idle-bg); color: var(--idle); }
.warn-box { background: var(--warn-bg); color: var(--warn); }
.steps { list-style: none; margin: 0; padding: 0; }
.step { padding: 14px 16px; border-bottom: 1px solid var(--line); }
.step:last-child { border-bottom: 0; }
.step-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.step-index { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 24px; }
.step-meta { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.step details, .card-body details { margin-top: 8px; }
summary { cursor: pointer; color: var(--muted); font-size: 12.5px; user-select: none; }
summary:hover { color: var(--text); }
button {
  font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--text); padding: 5px 12px;
}
button:hover { border-color: var(--muted); }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; width: 100%; padding: 9px; font-weight: 600; }
.login { max-width: 380px; margin: 12vh auto 0; }
.login label { display: block; font-weight: 600; margin-bottom: 6px; }
.login input {
  width: 100%; font: inherit; padding: 8px 10px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--bg); color: var(--text); margin-bottom: 14px;
}
.login input:focus { outline: 2px solid var(--accent); outline-offset: -1px; }
.login .error-box { margin: 0 0 14px; }
.login p { margin: 0 0 14px; }
@media (max-width: 700px) {
  .wrap { padding: 0 12px; }
  th, td { padding: 8px 10px; }
  .hide-sm { display: none; }
  /* Wide tables become one block per row: a URL column cannot share 390px with four others. */
  table.stack thead { display: none; }
  table.stack tr { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 10px 12px; border-bottom: 1px solid var(--line); }
  table.stack tr:last-child { border-bottom: 0; }
  table.stack td { padding: 0; border: 0; }
  table.stack td.wide { flex-basis: 100%; }
  table.stack td.num { text-align: left; color: var(--muted); }
  table.stack td[data-label]::after { content: ' ' attr(data-label); color: var(--muted); }
  .step-meta { margin-left: 0; width: 100%; }
}
`
