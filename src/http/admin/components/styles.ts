import { BUILDER_STYLES } from './builder-styles'
import { FLOW_STYLES } from './flow-styles'
import { DRAFT_STYLES } from './draft-banner'

// Inline so the page needs no asset route and the CSP can stay at default-src 'none'.
// Colours: text and badges keep at least 4.5:1 against their background in both schemes.
export const STYLES = `
:root {
  --bg: #f5f6f8; --card: #fff; --text: #1c2330; --muted: #5d6676; --line: #dfe3e8;
  --accent: #2f4fc4; --accent-text: #fff; --code-bg: #f1f3f6; --focus: #2f4fc4;
  --ok: #0f6e3e; --ok-bg: #e3f5ea; --bad: #b42318; --bad-bg: #fde8e6;
  --warn: #8a5008; --warn-bg: #fdf1dc; --info: #1d58b3; --info-bg: #e4eeff;
  --idle: #4d5767; --idle-bg: #eceef2;
  --add-bg: #e3f5ea; --del-bg: #fde8e6;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #111418; --card: #191d23; --text: #e6e9ee; --muted: #a3acba; --line: #2f3641;
    --accent: #8aa4ff; --accent-text: #0d1220; --code-bg: #20252d; --focus: #8aa4ff;
    --ok: #6fd69b; --ok-bg: #153423; --bad: #ff8a80; --bad-bg: #3d1a18;
    --warn: #f3be6b; --warn-bg: #3a2a10; --info: #8fb5ff; --info-bg: #17284a;
    --idle: #b5bdca; --idle-bg: #262c35;
    --add-bg: #153423; --del-bg: #3d1a18;
  }
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.skip { position: absolute; left: -999px; top: 8px; background: var(--card); padding: 6px 10px; z-index: 10; }
.skip:focus { left: 8px; }
code, pre, textarea.code { font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: var(--code-bg); padding: 1px 5px; border-radius: 4px; overflow-wrap: anywhere; }
pre {
  background: var(--code-bg); padding: 12px; border-radius: 6px; margin: 8px 0 0;
  overflow: auto; max-height: 70vh; white-space: pre-wrap; overflow-wrap: anywhere;
}
h1 { font-size: 22px; margin: 0 0 4px; display: flex; flex-wrap: wrap; align-items: center; gap: 10px; overflow-wrap: anywhere; }
h1 code { font-size: 15px; }
h2 { font-size: 16px; margin: 0; }
h3 { font-size: 14px; margin: 0 0 4px; }
.wrap { max-width: 1180px; margin: 0 auto; padding: 0 20px; }
.top { background: var(--card); border-bottom: 1px solid var(--line); margin-bottom: 24px; }
.top-row { display: flex; align-items: center; justify-content: space-between; height: 52px; }
.brand { font-weight: 700; font-size: 16px; color: var(--text); letter-spacing: -0.01em; }
.brand span { color: var(--accent); }
.nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 4px; overflow-x: auto; }
.nav a { display: block; padding: 8px 12px; color: var(--muted); border-bottom: 2px solid transparent; white-space: nowrap; }
.nav a:hover { color: var(--text); text-decoration: none; }
.nav a[aria-current] { color: var(--text); border-bottom-color: var(--accent); font-weight: 600; }
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
.page-head { margin-bottom: 20px; display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; justify-content: space-between; }
.page-head p { margin: 4px 0 0; }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.actions form { margin: 0; }
.table-scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 9px 16px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 12px; font-weight: 600; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
tr:last-child td { border-bottom: 0; }
tbody tr:hover { background: color-mix(in srgb, var(--bg) 60%, transparent); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nowrap { white-space: nowrap; }
.error-line { display: block; color: var(--bad); font-size: 12.5px; max-width: 60ch; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
tr.has-error td { border-bottom: 0; }
tr.error-row td { padding-top: 0; }
tbody tr.error-row:hover { background: transparent; }
.copy-row { display: flex; gap: 8px; align-items: stretch; }
.copy {
  display: block; flex: 1; min-width: 0; user-select: all; -webkit-user-select: all; cursor: text;
  word-break: break-all; padding: 6px 8px; border: 1px solid var(--line);
}
.copy-button { flex: none; }
.badge {
  display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  white-space: nowrap; background: var(--idle-bg); color: var(--idle);
}
.badge-succeeded, .badge-on { background: var(--ok-bg); color: var(--ok); }
.badge-failed { background: var(--bad-bg); color: var(--bad); }
.badge-completed_with_errors, .badge-early { background: var(--warn-bg); color: var(--warn); }
.badge-running, .badge-queued, .badge-reused { background: var(--info-bg); color: var(--info); }
.filters { display: flex; flex-wrap: wrap; gap: 6px; }
.filters a {
  padding: 2px 10px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); font-size: 12.5px;
}
.filters a[aria-current] { background: var(--text); border-color: var(--text); color: var(--card); }
.filter-form { display: flex; flex-wrap: wrap; gap: 10px 14px; align-items: flex-end; }
.filter-form label { display: flex; flex-direction: column; gap: 3px; font-size: 12.5px; color: var(--muted); font-weight: 600; min-width: 0; max-width: 100%; }
.filter-form select { max-width: 100%; }
.pager { display: flex; gap: 16px; padding: 12px 16px; border-top: 1px solid var(--line); }
.empty { padding: 24px 16px; margin: 0; color: var(--muted); }
.facts { margin-bottom: 12px; display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 14px 24px; margin-top: 0; }
.facts dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; }
.facts dd { margin: 2px 0 0; overflow-wrap: anywhere; }
.error-box, .warn-box, .note-box, .ok-box {
  border-radius: 8px; padding: 10px 12px; margin-top: 10px; overflow-wrap: anywhere;
}
.error-box { background: var(--bad-bg); color: var(--bad); }
.note-box { background: var(--idle-bg); color: var(--idle); }
.warn-box { background: var(--warn-bg); color: var(--warn); }
.ok-box { background: var(--ok-bg); color: var(--ok); }
.error-box ul, .warn-box ul { margin: 6px 0 0; padding-left: 20px; }
.warn-box code { overflow-wrap: anywhere; }
.steps { list-style: none; margin: 0; padding: 0; }
.step { padding: 14px 16px 14px 20px; border-bottom: 1px solid var(--line); border-left: 4px solid var(--idle-bg); }
.step:last-child { border-bottom: 0; }
.step.status-succeeded { border-left-color: var(--ok); }
.step.status-failed { border-left-color: var(--bad); }
.step.status-completed_with_errors { border-left-color: var(--warn); }
.step.status-skipped { border-left-color: var(--line); }
.step.status-skipped .step-title { color: var(--muted); }
.step-head { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.step-index { color: var(--muted); font-variant-numeric: tabular-nums; min-width: 24px; font-weight: 600; }
.step-meta { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.bar { position: relative; height: 6px; background: var(--idle-bg); border-radius: 3px; margin-top: 8px; }
.bar span { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 3px; background: var(--idle); }
.status-succeeded .bar span { background: var(--ok); }
.status-failed .bar span { background: var(--bad); }
.step details, .card-body details { margin-top: 8px; }
summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
summary:hover { color: var(--text); }
button, .button {
  font: inherit; cursor: pointer; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--text); padding: 5px 12px; display: inline-block; line-height: 1.5;
}
.button:hover { text-decoration: none; }
button:hover, .button:hover { border-color: var(--muted); }
button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-text); font-weight: 600; }
button.danger { color: var(--bad); }
button.wide { width: 100%; padding: 9px; }
input, select, textarea {
  font: inherit; padding: 6px 9px; border-radius: 6px; border: 1px solid var(--muted);
  background: var(--card); color: var(--text); max-width: 100%;
}
textarea { width: 100%; display: block; }
textarea.code { min-height: 420px; tab-size: 2; white-space: pre; overflow-wrap: normal; overflow: auto; }
textarea.code.payload { min-height: 120px; }
.field { margin-bottom: 14px; }
.field label, .label { display: block; font-weight: 600; margin-bottom: 4px; }
.field .hint { font-size: 12.5px; color: var(--muted); margin: 2px 0 0; }
.field input[type=text], .field input[type=password], .field input[type=url], .field select { width: 100%; }
.editor { display: grid; grid-template-columns: minmax(0, 1fr) 340px; gap: 20px; align-items: start; }
.catalogue { max-height: 80vh; overflow: auto; }
.catalogue details { border-bottom: 1px solid var(--line); padding: 8px 0; }
.catalogue summary { font-size: 14px; color: var(--text); font-weight: 600; }
.fields { margin: 6px 0 0; padding: 0; list-style: none; font-size: 12.5px; }
.fields li { padding: 3px 0; }
.fields .type { color: var(--muted); }
.req { color: var(--bad); font-size: 11px; font-weight: 600; }
.login { max-width: 380px; margin: 12vh auto 0; }
.login label { display: block; font-weight: 600; margin-bottom: 6px; }
.login input { width: 100%; margin-bottom: 14px; }
.login .error-box { margin: 0 0 14px; }
.login p { margin: 0 0 14px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 14px; margin-bottom: 20px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; }
.stat .value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.stat .label { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.03em; font-weight: 600; margin: 0; }
.chart { width: 100%; height: auto; display: block; }
.chart .ok { fill: var(--ok); }
.chart .bad { fill: var(--bad); }
.chart .other { fill: var(--info); }
.chart .rate { stroke: var(--warn); fill: none; stroke-width: 2; }
.chart .axis { stroke: var(--line); }
.chart text { fill: var(--muted); font-size: 11px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12.5px; color: var(--muted); margin-top: 8px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.diff { margin: 0; padding: 0; list-style: none; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.diff li { white-space: pre-wrap; overflow-wrap: anywhere; padding: 0 12px; }
.diff .add { background: var(--add-bg); }
.diff .del { background: var(--del-bg); }
.diff .gap { color: var(--muted); font-style: italic; }
.two-col { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; align-items: start; margin-bottom: 20px; }
.two-col > .card { margin-bottom: 0; }
.config { margin: 8px 0 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; }
.config dt { color: var(--muted); font-size: 12.5px; padding-top: 6px; }
.config dd { margin: 0; }
.config pre { margin: 0; padding: 6px 10px; }
@media (max-width: 900px) {
  .editor, .two-col { grid-template-columns: 1fr; }
}
@media (max-width: 700px) {
  .wrap { padding: 0 12px; }
  /* The chart's 720-unit viewBox is drawn at about 340px here: bigger units keep labels legible. */
  .chart { overflow: visible; }
  .chart text { font-size: 26px; }
  th, td { padding: 8px 10px; }
  .hide-sm { display: none; }
  /* Wide tables become one block per row: a URL column cannot share 390px with four others. */
  table.stack thead { display: none; }
  table.stack tr { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 10px 12px; border-bottom: 1px solid var(--line); }
  table.stack tr:last-child { border-bottom: 0; }
  table.stack td { padding: 0; border: 0; }
  table.stack td.wide { flex-basis: 100%; }
  table.stack tr.has-error { border-bottom: 0; padding-bottom: 2px; }
  table.stack tr.error-row { padding-top: 0; }
  table.stack td.num { text-align: left; color: var(--muted); }
  table.stack td[data-label]::after { content: ' ' attr(data-label); color: var(--muted); }
  .step-meta { margin-left: 0; width: 100%; }
  tr.has-error td { border-bottom: 0; }
tr.error-row td { padding-top: 0; }
tbody tr.error-row:hover { background: transparent; }
.copy-row { flex-direction: column; }
  textarea.code { min-height: 320px; }
  textarea.code.payload { min-height: 120px; }
  .nav ul { flex-wrap: wrap; gap: 0; }
  .nav a { padding: 6px 9px; }
  .error-line { white-space: normal; }
  .config { grid-template-columns: 1fr; }
  .config dt { padding-top: 0; }
  /* One control a line: a long workflow name in a select cannot push the form past its card. */
  .filter-form > label { flex: 1 1 100%; }
  .filter-form select { width: 100%; }
}
${BUILDER_STYLES}${FLOW_STYLES}
${DRAFT_STYLES}`
