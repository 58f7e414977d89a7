import type { FlowNode, FlowStatus, FlowView } from '../lib/flow-view'
import { statusLabel } from '../lib/format'

// Drawn at its own size, never scaled down: the trigger and the nodes sit in a grid of COLUMNS
// slots a row (a row fits a 1280 px page), and at 390 px the picture scrolls sideways inside its
// card rather than shrinking its text below reading size.
const COLUMNS = 5
/** Left: room for the line that comes back from the end of a row. */
const PAD_X = 24
const PAD = 8
/** Room above a row for the bypass of an `if` and its label. */
const TOP = 38
const BOX_W = 168
const GAP = 36
const ROW_GAP = 56
/** Arrows run this far below a box's top, level with its first line. */
const LINE_DY = 30
const BASE_H = 84
const TAGS_TOP = 72
const TAG_H = 19
const TAG_GAP = 5
const END_R = 7
/** Roughly what a character takes at each font size (system-ui): enough to truncate by. */
const CHAR_W = { label: 7.8, text: 6.9, tag: 6.3 }

const STATUS_TEXT: Record<FlowStatus, string> = {
  succeeded: '✓ succeeded',
  failed: '✕ failed',
  skipped: '↷ skipped',
  waiting: '⏸ waiting',
  'not-reached': 'not reached',
}

type Tag = { text: string; title: string; kind: string }

function tagsOf(node: FlowNode): Tag[] {
  const tags: Tag[] = []
  if (node.if !== undefined)
    tags.push({ kind: 'if', text: 'if', title: `Runs only if ${node.if}; skipped when false` })
  if (node.forEach !== undefined)
    tags.push({ kind: 'each', text: 'for each', title: `Runs once per element of ${node.forEach}` })
  if (node.continues)
    tags.push({
      kind: 'continue',
      text: 'on error: continue',
      title: 'When it fails, the run goes on with the next node',
    })
  if (node.waits)
    tags.push({ kind: 'wait', text: 'waits', title: 'Pauses the run until its wait ends' })
  if (node.responds)
    tags.push({ kind: 'respond', text: 'responds', title: "Sets a sync webhook's answer" })
  return tags
}

type PlacedTag = Tag & { x: number; y: number; w: number }

/** Tags left to right, on as many rows as the box's width needs. */
function placeTags(tags: Tag[]): { placed: PlacedTag[]; rows: number } {
  const inner = BOX_W - 24
  const placed: PlacedTag[] = []
  let x = 0
  let row = 0
  for (const tag of tags) {
    const w = Math.round(14 + tag.text.length * CHAR_W.tag)
    if (x > 0 && x + w > inner) {
      row++
      x = 0
    }
    placed.push({ ...tag, x, y: row * (TAG_H + TAG_GAP), w })
    x += w + 6
  }
  return { placed, rows: tags.length ? row + 1 : 0 }
}

function fit(text: string, width: number, charW: number) {
  const max = Math.max(4, Math.floor(width / charW))
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** The flow in words: the picture's description for a screen reader. */
function describe(view: FlowView): string {
  const trigger = `Starts with a ${view.trigger.label.toLowerCase()} trigger (${view.trigger.detail.join(', ')}).`
  const steps = view.nodes.map((node) => {
    const marks = [
      node.if !== undefined ? `runs only if ${node.if}, skipped when false` : '',
      node.forEach !== undefined ? `runs once per element of ${node.forEach}` : '',
      node.continues ? 'the run goes on when it fails' : '',
      node.waits ? 'pauses the run while it waits' : '',
      node.responds ? "sets a sync webhook's answer" : '',
    ].filter(Boolean)
    const status = node.status ? `; in the last run: ${node.status.replace('-', ' ')}` : ''
    const label = node.label === node.id ? node.id : `${node.label} (${node.id})`
    return `Step ${node.number}, ${label}, ${node.type}${marks.length ? `: ${marks.join('; ')}` : ''}${status}.`
  })
  return [trigger, ...steps, 'Then the run ends.'].join(' ')
}

type Slot = { x: number; y: number; line: number; row: number }

export function FlowPicture({ view }: { view: FlowView }) {
  const tagged = view.nodes.map((node) => ({ node, ...placeTags(tagsOf(node)) }))
  const maxRows = Math.max(0, ...tagged.map((t) => t.rows))
  const boxH = maxRows ? TAGS_TOP + maxRows * (TAG_H + TAG_GAP) + 4 : BASE_H
  // Slot 0 is the trigger, slot k the k-th node.
  const slot = (k: number): Slot => {
    const row = Math.floor(k / COLUMNS)
    const y = TOP + row * (boxH + ROW_GAP)
    return { x: PAD_X + (k % COLUMNS) * (BOX_W + GAP), y, line: y + LINE_DY, row }
  }
  const slots = view.nodes.length + 1
  const last = slot(slots - 1)
  const endX = last.x + BOX_W + GAP
  const width = PAD_X + Math.min(slots, COLUMNS) * (BOX_W + GAP) + END_R + 14 + PAD
  const height = last.y + boxH + PAD
  return (
    <div class="flow-scroll" tabindex={0} role="group" aria-label="Flow picture">
      <svg
        class="flow"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="flow-title flow-desc"
      >
        <title id="flow-title">{`The flow of ${view.name}: its trigger, then ${view.nodes.length} ${view.nodes.length === 1 ? 'node' : 'nodes'} in order`}</title>
        <desc id="flow-desc">{describe(view)}</desc>
        <TriggerBox view={view} at={slot(0)} height={boxH} />
        {tagged.map((_, i) => (
          <Connector from={slot(i)} to={slot(i + 1)} height={boxH} />
        ))}
        <Arrow y={last.line} from={last.x + BOX_W} to={endX - END_R} />
        <g class="flow-end">
          <title>The run ends</title>
          <circle cx={endX} cy={last.line} r={END_R} />
          <text x={endX} y={last.line + 24} text-anchor="middle">
            end
          </text>
        </g>
        {tagged.map((t, i) => (
          <NodeBox {...t} at={slot(i + 1)} height={boxH} />
        ))}
      </svg>
    </div>
  )
}

/** Said only where the picture is wider than the page (a phone): the rest is a scroll away. */
export function FlowHint() {
  return <p class="flow-hint small muted">Scroll the picture sideways for the whole flow.</p>
}

/** From one box to the next: straight on along a row, or back to the start of the next row. */
function Connector({ from, to, height }: { from: Slot; to: Slot; height: number }) {
  if (from.row === to.row) return <Arrow y={to.line} from={from.x + BOX_W} to={to.x} />
  const out = from.x + BOX_W + GAP / 2
  const back = to.x - GAP / 2
  const under = from.y + height + 14
  const path = `M ${from.x + BOX_W} ${from.line} H ${out} V ${under} H ${back} V ${to.line} H ${to.x - 7}`
  return (
    <g class="flow-arrow">
      <path d={path} />
      <polygon
        points={`${to.x - 8},${to.line - 5} ${to.x},${to.line} ${to.x - 8},${to.line + 5}`}
      />
    </g>
  )
}

function Arrow({ y, from, to }: { y: number; from: number; to: number }) {
  return (
    <g class="flow-arrow">
      <line x1={from} x2={to - 7} y1={y} y2={y} />
      <polygon points={`${to - 8},${y - 5} ${to},${y} ${to - 8},${y + 5}`} />
    </g>
  )
}

function TriggerBox({ view, at, height }: { view: FlowView; at: Slot; height: number }) {
  const { trigger } = view
  const { x, y } = at
  return (
    <g class={`flow-trigger flow-trigger-${trigger.type}`}>
      <title>{`Trigger: ${trigger.label.toLowerCase()} (${trigger.detail.join(', ')}); Run now starts it by hand too`}</title>
      <rect x={x} y={y} width={BOX_W} height={height} rx={18} />
      <text class="flow-caps" x={x + 14} y={y + 20}>
        TRIGGER
      </text>
      <text class="flow-label" x={x + 14} y={y + 40}>
        {trigger.label}
      </text>
      {trigger.detail.map((line, i) => (
        <text class="flow-muted" x={x + 14} y={y + 58 + i * 16}>
          {fit(line, BOX_W - 24, CHAR_W.text)}
        </text>
      ))}
    </g>
  )
}

function NodeBox(props: { node: FlowNode; at: Slot; placed: PlacedTag[]; height: number }) {
  const { node, at, placed, height } = props
  const { x, y } = at
  const status = node.status
  const number = String(node.number)
  const labelRoom = BOX_W - 28 - number.length * CHAR_W.label
  const tone = status ? `flow-st-${status}` : 'flow-st-none'
  const said = status ? `; last run: ${statusLabel(status.replace('-', ' '))}` : ''
  return (
    <g class={`flow-node ${tone}`} data-node={node.id} data-status={status}>
      <title>{`Step ${node.number}: ${node.label} (${node.type})${said}`}</title>
      {node.forEach !== undefined ? (
        <>
          <rect class="flow-stack" x={x + 8} y={y - 8} width={BOX_W} height={height} rx={8} />
          <rect class="flow-stack" x={x + 4} y={y - 4} width={BOX_W} height={height} rx={8} />
        </>
      ) : null}
      {node.if !== undefined ? <Bypass at={at} condition={node.if} /> : null}
      <rect class="flow-box" x={x} y={y} width={BOX_W} height={height} rx={8} />
      <text class="flow-label" x={x + 12} y={y + 22}>
        <tspan class="flow-num">{`${number} `}</tspan>
        <tspan dx={3}>{fit(node.label, labelRoom, CHAR_W.label)}</tspan>
      </text>
      <text class="flow-muted" x={x + 12} y={y + 40}>
        {fit(node.type, BOX_W - 24, CHAR_W.text)}
      </text>
      {status ? (
        <>
          <circle class="flow-dot" cx={x + 16} cy={y + 56} r={5} />
          <text class="flow-status" x={x + 27} y={y + 60}>
            {STATUS_TEXT[status]}
          </text>
        </>
      ) : (
        <text class="flow-muted" x={x + 12} y={y + 60}>
          no run yet
        </text>
      )}
      {placed.map((tag) => (
        <g class={`flow-tag flow-tag-${tag.kind}`}>
          <title>{tag.title}</title>
          <rect x={x + 12 + tag.x} y={y + TAGS_TOP + tag.y} width={tag.w} height={TAG_H} rx={9} />
          <text x={x + 12 + tag.x + tag.w / 2} y={y + TAGS_TOP + tag.y + 13} text-anchor="middle">
            {tag.text}
          </text>
        </g>
      ))}
    </g>
  )
}

/** The way around a node whose `if` is false: its input goes on to the next node. */
function Bypass({ at, condition }: { at: Slot; condition: string }) {
  const { x, line } = at
  const from = x - GAP / 2
  const to = x + BOX_W + GAP / 2
  const top = at.y - 16
  const path =
    `M ${from} ${line} V ${top + 8} Q ${from} ${top} ${from + 8} ${top} ` +
    `H ${to - 8} Q ${to} ${top} ${to} ${top + 8} V ${line - 7}`
  return (
    <g class="flow-bypass">
      <title>{`If ${condition} is false, this node is skipped and its input goes on`}</title>
      <path d={path} />
      <polygon points={`${to - 4},${line - 8} ${to + 4},${line - 8} ${to},${line - 1}`} />
      <text x={x + BOX_W / 2} y={top - 5} text-anchor="middle">
        {fit(`only if ${condition}`, BOX_W + GAP - 8, CHAR_W.tag)}
      </text>
    </g>
  )
}

/** Under the picture: which run its statuses come from. */
export function FlowCaption({ view }: { view: FlowView }) {
  const last = view.last
  if (!last)
    return <p class="small muted">No run yet: each node shows how it fared once one has run.</p>
  return (
    <p class="small muted">
      Statuses from the last run,{' '}
      <a href={`/admin/runs/${encodeURIComponent(last.id)}`}>
        run <code>{last.id.slice(-12)}</code>
      </a>{' '}
      ({statusLabel(last.status)}, version {last.version}
      {last.byHand ? ', started by hand' : ''}). A dashed line goes around a node its{' '}
      <code>if</code> can skip; hover a mark for what it means.
    </p>
  )
}
