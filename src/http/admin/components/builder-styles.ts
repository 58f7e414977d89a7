// The form editor's look (browser/builder/): appended to STYLES, inline like the rest.
export const BUILDER_STYLES = `
.side { min-width: 0; }
@media (min-width: 901px) {
  /* The sample stays in view beside a long form. */
  .side { position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto; }
}
.more-fields { margin-bottom: 8px; }
.more-fields > summary { margin-bottom: 8px; }
.tabs { display: flex; gap: 4px; margin-bottom: 12px; }
.tabs button[aria-pressed=true] { background: var(--text); color: var(--card); border-color: var(--text); }
.builder-form fieldset.group { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; margin: 0 0 14px; min-width: 0; }
.builder-form legend { font-weight: 600; padding: 0 4px; }
.builder-form .field input[type=text], .builder-form .field textarea, .builder-form select { width: 100%; }
.builder-form .field.check label { font-weight: 400; display: flex; gap: 6px; align-items: center; }
.builder-form .choices { display: flex; flex-wrap: wrap; gap: 4px 14px; }
.builder-form .choices label { font-weight: 400; display: inline-flex; gap: 4px; align-items: center; }
.builder-form .item { border-left: 3px solid var(--line); padding-left: 8px; margin-bottom: 8px; }
.builder-form .pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 2fr) auto; gap: 6px; margin-bottom: 6px; align-items: start; }
.builder-form .pair input { width: 100%; min-width: 0; }
.builder-form .pair .preview { grid-column: 2 / 3; }
.builder-form .json-value { min-height: 70px; }
.json-editor { display: grid; grid-template-columns: auto minmax(0, 1fr); border: 1px solid var(--muted); border-radius: 6px; background: var(--card); overflow: hidden; }
.json-editor:focus-within { outline: 2px solid var(--focus); outline-offset: 2px; }
.json-editor textarea.code { border: 0; border-radius: 0; resize: vertical; min-width: 0; }
.json-editor textarea.code:focus-visible { outline: none; }
/* The numbers take the text's font and line height, so each sits level with its line. */
.json-gutter { position: relative; overflow: hidden; background: var(--code-bg); color: var(--muted); border-right: 1px solid var(--line); user-select: none; font: 12.5px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.json-gutter-lines { position: absolute; top: 0; left: 0; right: 0; padding: 6px 8px 0 0; text-align: right; }
.json-gutter-lines span { display: block; }
.json-gutter .json-bad-line { background: var(--bad); color: var(--card); font-weight: 700; }
.json-status { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; font-size: 12.5px; }
.json-status-bad { margin-top: 6px; padding: 6px 9px; border-radius: 6px; background: var(--bad-bg); color: var(--bad); }
/* Buttons are display: inline-block, which would outrank [hidden]. */
.json-status [hidden] { display: none; }
.json-status p { margin: 0; overflow-wrap: anywhere; }
.small-button { padding: 2px 9px; font-size: 12.5px; }
.node-card, .trigger-card { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; padding: 12px; margin-bottom: 14px; }
.node-head { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: space-between; }
.node-head h3 { margin: 0; overflow-wrap: anywhere; }
.node-names { display: grid; grid-template-columns: 1fr 1fr; gap: 0 12px; }
.settings { margin-bottom: 4px; }
.preview { display: block; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin-top: 3px; padding: 3px 6px; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 8em; overflow: auto; }
.preview-value { background: var(--ok-bg); color: var(--ok); }
.preview-error, .field-error { background: var(--bad-bg); color: var(--bad); }
.field-error { margin: 4px 0 0; padding: 3px 6px; border-radius: 4px; font-size: 12.5px; }
.picker { border: 1px solid var(--line); border-radius: 8px; padding: 10px; margin-top: 8px; }
.picker label { font-weight: 600; display: block; margin-bottom: 4px; }
.picker input[type=search] { width: 100%; margin-bottom: 8px; }
.picker-list { max-height: 420px; overflow: auto; }
.picker-group h4 { margin: 8px 0 4px; font-size: 12px; color: var(--muted); text-transform: uppercase; }
.picker-item { display: block; width: 100%; text-align: left; margin-bottom: 4px; }
.picker-item span { display: block; }
.sample-panel { padding: 12px 14px; }
.sample-tree ul { list-style: none; margin: 0; padding-left: 14px; font: 12px/1.6 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.sample-tree details { margin-top: 6px; }
.tree-key { padding: 0 5px; font: inherit; border-color: transparent; background: var(--info-bg); color: var(--info); }
.tree-value { color: var(--muted); overflow-wrap: anywhere; }
.help-list { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 3px 10px; }
.help-list dd { margin: 0; color: var(--muted); }
@media (max-width: 700px) {
  .node-names, .help-list { grid-template-columns: 1fr; }
  .builder-form .pair { grid-template-columns: 1fr; }
}
`
