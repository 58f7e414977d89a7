import { h } from './dom'
import type { Builder } from './model'
import { type Path, jsonataPath } from './paths'

export type Sample = { input: unknown; steps: Record<string, { output: unknown }> }

const MAX_DEPTH = 6
const MAX_KEYS = 50

/** Where a click in the tree came from: the run's input, or the output of node `index`. */
type Source = { kind: 'trigger' } | { kind: 'step'; id: string; index: number }

/**
 * The data beside the editor: a recent run's input and step outputs, or a test payload, as a
 * tree. A click on a field puts its `{{ }}` path into the field that last had focus, written as
 * that field's node reads it: `input.x` from the node before, `steps.<id>.output.x` from earlier
 * ones, `run.input.x` from the trigger.
 */
export function samplePanel(b: Builder, csrf: string, onChange: (sample: Sample) => void) {
  const tree = h('div', { class: 'sample-tree', id: 'sample-tree' })
  const status = h('p', { class: 'small muted', id: 'sample-status', role: 'status' })
  const payload = h('textarea', {
    id: 'sample-payload',
    class: 'code payload',
    rows: 5,
    spellcheck: 'false',
    value: remembered() ?? (b.data.pinned ? JSON.stringify(b.data.pinned.input, null, 2) : '{}'),
    oninput: () => {
      remember(payload.value)
      refresh()
    },
  })
  const choose = h(
    'select',
    { id: 'sample-source', onchange: () => refresh() },
    h('option', { value: '' }, 'Test payload (below)'),
    b.data.samples.map((s, i) =>
      h('option', { value: String(i), selected: i === 0 }, `Run ${s.label}`),
    ),
  )
  const pin = b.data.pinUrl
    ? h(
        'button',
        {
          type: 'button',
          class: 'small-button',
          onclick: async () => {
            let input: unknown
            try {
              input = JSON.parse(payload.value || '{}')
            } catch (error) {
              status.textContent = `The test payload is not JSON yet: ${(error as Error).message}`
              return
            }
            const body = new URLSearchParams({ _csrf: csrf, body: JSON.stringify({ input }) })
            const response = await fetch(b.data.pinUrl!, { method: 'POST', body }).catch(() => null)
            status.textContent = response?.ok
              ? 'Pinned: Run now and this panel start from this payload.'
              : 'Not pinned: the server refused it.'
          },
        },
        'Pin this payload',
      )
    : null
  const payloadField = h(
    'div',
    { class: 'field' },
    h('label', { for: 'sample-payload' }, 'Test payload (JSON, the run input)'),
    payload,
    pin,
  )
  let sample: Sample = { input: {}, steps: {} }

  function current(): Sample | undefined {
    const chosen = b.data.samples[Number(choose.value)]
    payloadField.hidden = choose.value !== ''
    if (choose.value !== '' && chosen) return { input: chosen.input, steps: chosen.steps }
    try {
      return { input: JSON.parse(payload.value || '{}'), steps: {} }
    } catch (error) {
      status.textContent = `The test payload is not JSON yet: ${(error as Error).message}`
      return undefined
    }
  }

  function refresh() {
    const next = current()
    if (!next) return
    status.textContent = ''
    sample = next
    draw()
    onChange(sample)
  }

  function draw() {
    const parts: HTMLElement[] = [
      branch('Trigger input', 'run.input', sample.input, { kind: 'trigger' }),
    ]
    b.definition.nodes.forEach((node, index) => {
      const step = sample.steps[node.id]
      if (step)
        parts.push(
          branch(`Step ${index + 1} (${node.id}) output`, `steps.${node.id}.output`, step.output, {
            kind: 'step',
            id: node.id,
            index,
          }),
        )
    })
    tree.replaceChildren(...parts)
  }

  function branch(title: string, root: string, value: unknown, source: Source) {
    return h(
      'details',
      { open: true, class: 'tree-root' },
      h('summary', {}, title, ' ', h('code', {}, root)),
      node(value, [], source, 0),
    )
  }

  function node(value: unknown, keys: Path, source: Source, depth: number): HTMLElement {
    if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH)
      return h('span', { class: 'tree-value' }, short(value))
    const entries = Object.entries(value).slice(0, MAX_KEYS)
    return h(
      'ul',
      {},
      entries.map(([key, child]) => {
        const at = [...keys, Array.isArray(value) ? Number(key) : key]
        return h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              class: 'tree-key',
              'data-sample-path': jsonataPath('', at),
              onmousedown: (event: Event) => event.preventDefault(),
              onclick: () => insert(source, at),
            },
            Array.isArray(value) ? `[${key}]` : key,
          ),
          child !== null && typeof child === 'object' ? null : ': ',
          node(child, at, source, depth + 1),
        )
      }),
    )
  }

  function insert(source: Source, keys: Path) {
    const field = lastFocused
    if (!field || !field.isConnected) {
      status.textContent = 'Click into a field of a node first, then on a value here.'
      return
    }
    const path = field.getAttribute('data-path') ?? ''
    const at = Number(/^nodes\.(\d+)\./.exec(path)?.[1] ?? -1)
    // The step's place now: nodes may have moved since the tree was drawn.
    const now =
      source.kind === 'step'
        ? { ...source, index: b.definition.nodes.findIndex((n) => n.id === source.id) }
        : source
    const expression = expressionFor(now, keys, at)
    if (!expression.ok) {
      status.textContent = expression.reason
      return
    }
    // `if` and `forEach` hold one expression; every other field a template inside text.
    const bare = /\.(if|forEach)$/.test(path) && !field.value.includes('{{')
    const text = bare ? expression.text : `{{ ${expression.text} }}`
    const start = field.selectionStart ?? field.value.length
    const end = field.selectionEnd ?? start
    field.value = field.value.slice(0, start) + text + field.value.slice(end)
    field.setSelectionRange(start + text.length, start + text.length)
    field.dispatchEvent(new Event('input', { bubbles: true }))
    field.focus()
    status.textContent = `Inserted ${text}.`
  }

  refresh()
  return h(
    'div',
    { class: 'sample-panel' },
    h('div', { class: 'field' }, h('label', { for: 'sample-source' }, 'Sample data'), choose),
    payloadField,
    h(
      'p',
      { class: 'hint' },
      'Click into a node field, then on a value below to map it. Each template field shows its value for this sample.',
    ),
    status,
    tree,
  )
}

/** The expression a node at `at` reads a sample value by, or why it cannot read it. */
export function expressionFor(
  source: Source,
  keys: Path,
  at: number,
): { ok: true; text: string } | { ok: false; reason: string } {
  if (source.kind === 'trigger') return { ok: true, text: jsonataPath('run.input', keys) }
  if (at < 0) return { ok: false, reason: 'Only a node can read a step: click into a node field.' }
  if (source.index < 0) return { ok: false, reason: `No node has the id ${source.id} any more.` }
  if (source.index >= at)
    return {
      ok: false,
      reason: `Node ${at + 1} runs before step ${source.index + 1} (${source.id}) has any output.`,
    }
  if (source.index === at - 1) return { ok: true, text: jsonataPath('input', keys) }
  return { ok: true, text: jsonataPath(jsonataPath('steps', [source.id]) + '.output', keys) }
}

let lastFocused: HTMLInputElement | HTMLTextAreaElement | undefined

/** Remembers the template field that had focus last, for the tree's clicks. */
export function trackFocus(root: HTMLElement) {
  root.addEventListener('focusin', (event) => {
    const target = event.target
    if (
      (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) &&
      target.hasAttribute('data-template')
    )
      lastFocused = target
  })
}

// The test payload outlives a refused save or a reload: kept in this tab, per workflow.
const storageKey = () => `automateos:test-payload:${location.pathname.replace(/\/edit$/, '')}`

function remembered(): string | undefined {
  try {
    return sessionStorage.getItem(storageKey()) ?? undefined
  } catch {
    return undefined
  }
}

function remember(text: string) {
  try {
    sessionStorage.setItem(storageKey(), text)
  } catch {
    // Storage off (a private window's policy): the payload lasts as long as the page.
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > 80 ? `${text.slice(0, 77)}…` : text
}
