import { h } from './dom'
import type { Builder, NodeInfo } from './model'

/** A fresh id for a node of this type: the type with '_' (templates read it without backticks). */
export function newNodeId(type: string, taken: string[]): string {
  const base = type.replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]+/, '') || 'node'
  let id = base
  for (let n = 2; taken.includes(id); n++) id = `${base}_${n}`
  return id.slice(0, 64)
}

/** "Add a node": a search over the node types, grouped by app, each with what it does. */
export function nodePicker(b: Builder, onAdd: (index: number) => void): HTMLElement {
  const list = h('div', { class: 'picker-list', id: 'node-picker-list' })
  const search = h('input', {
    type: 'search',
    id: 'node-picker-search',
    placeholder: 'Search: discord, http, sheet…',
    autocomplete: 'off',
    oninput: () => draw(search.value),
  })
  const panel = h(
    'div',
    { class: 'picker', id: 'node-picker', hidden: true },
    h('label', { for: 'node-picker-search' }, 'Find a node type'),
    search,
    list,
  )
  const add = (info: NodeInfo) => {
    const id = newNodeId(
      info.type,
      b.definition.nodes.map((n) => n.id),
    )
    b.definition.nodes.push({ id, type: info.type, config: {} })
    panel.hidden = true
    b.rerender()
    onAdd(b.definition.nodes.length - 1)
  }
  function draw(query: string) {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean)
    const matches = b.data.nodes.filter((n) => {
      const text = `${n.type} ${n.title} ${n.description} ${n.app ?? ''}`.toLowerCase()
      return words.every((w) => text.includes(w))
    })
    const groups = new Map<string, NodeInfo[]>()
    for (const node of matches) {
      const app = node.app ?? 'Built-in'
      groups.set(app, [...(groups.get(app) ?? []), node])
    }
    const order = [...groups.keys()].sort((a, c) =>
      a === 'Built-in' ? -1 : c === 'Built-in' ? 1 : a.localeCompare(c),
    )
    list.replaceChildren(
      ...(matches.length ? [] : [h('p', { class: 'muted small' }, 'No node type matches.')]),
      ...order.map((app) =>
        h(
          'div',
          { class: 'picker-group', role: 'group', 'aria-label': app },
          h('h4', {}, app),
          groups.get(app)!.map((info) =>
            h(
              'button',
              {
                type: 'button',
                class: 'picker-item',
                'data-type': info.type,
                onclick: () => add(info),
              },
              h('strong', {}, info.title),
              ' ',
              h('code', {}, info.type),
              h('span', { class: 'small muted' }, info.description),
            ),
          ),
        ),
      ),
    )
  }
  draw('')
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'aria-controls': 'node-picker',
      'aria-expanded': 'false',
      onclick: () => {
        panel.hidden = !panel.hidden
        toggle.setAttribute('aria-expanded', String(!panel.hidden))
        if (!panel.hidden) search.focus()
      },
    },
    'Add a node',
  )
  return h('div', { class: 'add-node' }, toggle, panel)
}
