// The workflow page's flow picture (flow-picture.tsx) and the run page's waiting step: appended
// to STYLES, inline like the rest. SVG colours come from the same variables, so dark mode holds.
export const FLOW_STYLES = `
.flow-scroll { overflow-x: auto; overflow-y: hidden; padding-bottom: 4px; }
.flow { display: block; max-width: none; }
.flow text { fill: var(--text); font-size: 12px; }
.flow .flow-label { font-size: 13.5px; font-weight: 600; }
.flow .flow-num { fill: var(--muted); }
.flow .flow-muted { fill: var(--muted); }
.flow .flow-caps { fill: var(--muted); font-size: 10.5px; font-weight: 600; letter-spacing: 0.06em; }
.flow-trigger rect { fill: var(--info-bg); stroke: var(--info); stroke-width: 1.5; }
.flow-box { fill: var(--card); stroke: var(--line); stroke-width: 1.5; }
.flow-stack { fill: var(--card); stroke: var(--muted); stroke-width: 1; }
.flow-arrow line, .flow-arrow path { fill: none; stroke: var(--muted); stroke-width: 1.5; }
.flow-arrow polygon { fill: var(--muted); }
.flow-end circle { fill: var(--muted); }
.flow-end text { fill: var(--muted); font-size: 11px; }
.flow-bypass path { fill: none; stroke: var(--muted); stroke-width: 1.5; stroke-dasharray: 5 4; }
.flow-bypass polygon { fill: var(--muted); }
.flow-bypass text { fill: var(--muted); font-size: 11px; }
.flow-tag rect { fill: var(--idle-bg); }
.flow-tag text { fill: var(--idle); font-size: 11px; font-weight: 600; }
.flow-tag-if rect, .flow-tag-each rect { fill: var(--info-bg); }
.flow-tag-if text, .flow-tag-each text { fill: var(--info); }
.flow-tag-continue rect, .flow-tag-wait rect { fill: var(--warn-bg); }
.flow-tag-continue text, .flow-tag-wait text { fill: var(--warn); }
.flow-tag-respond rect { fill: var(--ok-bg); }
.flow-tag-respond text { fill: var(--ok); }
.flow-dot { fill: var(--idle); }
.flow .flow-status { font-weight: 600; fill: var(--idle); }
.flow-st-succeeded .flow-box { stroke: var(--ok); stroke-width: 2; }
.flow-st-succeeded .flow-dot, .flow .flow-st-succeeded .flow-status { fill: var(--ok); }
.flow-st-failed .flow-box { stroke: var(--bad); stroke-width: 2; }
.flow-st-failed .flow-dot, .flow .flow-st-failed .flow-status { fill: var(--bad); }
.flow-st-waiting .flow-box { stroke: var(--info); stroke-width: 2; }
.flow-st-waiting .flow-dot, .flow .flow-st-waiting .flow-status { fill: var(--info); }
.flow-st-skipped .flow-box { stroke-dasharray: 2 3; }
.flow-st-not-reached .flow-box { stroke-dasharray: 6 4; }
.flow-st-not-reached .flow-dot { fill: none; stroke: var(--idle); stroke-width: 1.5; }
.flow-scroll + p { margin-top: 10px; }
.flow-hint { display: none; }
@media (max-width: 700px) { .flow-hint { display: block; } }
.step.status-waiting { border-left-color: var(--info); }
.badge-waiting { background: var(--info-bg); color: var(--info); }
.node-marks { margin: 6px 0 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 4px 12px; font-size: 12.5px; }
.node-marks dt { color: var(--muted); }
.node-marks dd { margin: 0; overflow-wrap: anywhere; }
`
