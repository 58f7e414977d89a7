import { fieldId, h } from './dom'
import type { Schema } from './json-schema'
import type { Builder, WorkflowNode } from './model'
import { renderField, renderProperties } from './schema-form'
import { testStepControl } from './test-step'

/** What a node has besides its id, type, name and config: settings, drawn from the node schema. */
const OWN_FIELDS = ['id', 'type', 'name', 'config']

/** One node of the flow: its id and name, its config's form, its settings, and moves. */
export function nodeCard(b: Builder, node: WorkflowNode, index: number): HTMLElement {
  const info = b.data.nodes.find((n) => n.type === node.type)
  const nodes = b.definition.nodes
  const nodeSchema = nodeSchemaOf(b.data.workflow)
  const path = ['nodes', index]
  const move = (to: number) => {
    const [moved] = nodes.splice(index, 1)
    nodes.splice(to, 0, moved!)
    b.rerender()
    document.getElementById(`node-card-${to}`)?.querySelector<HTMLElement>('h3')?.focus()
  }
  const title = info ? info.title : `Unknown type ${node.type}`
  const settings = renderProperties(b, nodeSchema, b.data.workflow, path, OWN_FIELDS)
  const settingsSet = Object.keys(node).filter((key) => !OWN_FIELDS.includes(key))
  return h(
    'section',
    { class: 'node-card', id: `node-card-${index}`, 'aria-labelledby': `node-card-${index}-title` },
    h(
      'div',
      { class: 'node-head' },
      h(
        'h3',
        { id: `node-card-${index}-title`, tabindex: '-1' },
        h('span', { class: 'step-index' }, String(index + 1)),
        ` ${title} `,
        h('code', {}, node.type),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'small-button',
            disabled: index === 0,
            'aria-label': `Move node ${index + 1} (${node.id}) up`,
            onclick: () => move(index - 1),
          },
          'Up',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'small-button',
            disabled: index === nodes.length - 1,
            'aria-label': `Move node ${index + 1} (${node.id}) down`,
            onclick: () => move(index + 1),
          },
          'Down',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'small-button danger',
            'aria-label': `Remove node ${index + 1} (${node.id})`,
            onclick: () => {
              if (!confirm(`Remove node ${index + 1} (${node.id})?`)) return
              nodes.splice(index, 1)
              b.rerender()
            },
          },
          'Remove',
        ),
      ),
    ),
    info ? h('p', { class: 'hint' }, info.description) : null,
    h(
      'div',
      { class: 'node-names' },
      renderField(b, nodeSchema.properties!.id!, b.data.workflow, [...path, 'id'], {
        label: 'Id',
        required: true,
      }),
      renderField(b, nodeSchema.properties!.name!, b.data.workflow, [...path, 'name'], {
        label: 'Name',
        required: false,
      }),
    ),
    info
      ? h(
          'fieldset',
          {
            class: 'group node-config',
            id: fieldId([...path, 'config']),
            'data-path': `nodes.${index}.config`,
            'data-field': `nodes.${index}.config`,
          },
          h('legend', {}, 'Config'),
          renderProperties(b, info.configSchema, info.configSchema, [...path, 'config'], [], true),
        )
      : null,
    h(
      'details',
      { class: 'settings', id: `node-card-${index}-settings`, open: settingsSet.length > 0 },
      h(
        'summary',
        {},
        `Settings: if, forEach, retry, onError, timeout${settingsSet.length ? ` (${settingsSet.join(', ')})` : ''}`,
      ),
      h(
        'p',
        { class: 'hint' },
        'if: a JSONata condition, false skips the node (its input passes on). forEach: a template giving an array, the node runs once per element as item and index. Both read the same context as templates.',
      ),
      settings,
    ),
    testStepControl(b, node, index),
  )
}

/** The schema of one node in the workflow schema (id, type, name, config and the settings). */
export function nodeSchemaOf(workflow: Schema): Schema {
  return workflow.properties?.nodes?.items ?? { type: 'object', properties: {} }
}
