import { h } from './dom'
import type { Builder } from './model'
import { renderField, renderProperties } from './schema-form'

/**
 * The workflow's own fields (name, enabled, onError, and whatever else its schema gains) and its
 * trigger, drawn from the schemas the server sends: a new trigger type is a new choice here.
 */
export function workflowFields(b: Builder): HTMLElement {
  const schema = b.data.workflow
  return h(
    'fieldset',
    { class: 'group workflow-fields' },
    h('legend', {}, 'Workflow'),
    renderProperties(b, schema, schema, [], ['trigger', 'nodes']),
  )
}

export function triggerFields(b: Builder): HTMLElement {
  const trigger = b.data.trigger
  b.definition.trigger ??= { type: 'webhook' }
  return h(
    'section',
    { class: 'trigger-card', 'aria-labelledby': 'trigger-title' },
    h('h3', { id: 'trigger-title' }, 'Trigger'),
    h(
      'p',
      { class: 'hint' },
      'What starts a run: a webhook call (its body is the run input), a schedule, or another kind.',
    ),
    renderField(b, trigger, trigger, ['trigger'], { label: 'Trigger type', required: true }),
    h('div', { id: 'next-fires', 'aria-live': 'polite' }),
  )
}
