import { h } from './dom'
import { showErrors } from './field-errors'
import { jsonEditor } from './json-editor'
import type { Builder, BuilderData, Definition } from './model'
import { nodeCard } from './node-card'
import { nodePicker } from './node-picker'
import { livePreview } from './preview'
import { samplePanel, trackFocus } from './sample-panel'
import { triggerFields, workflowFields } from './workflow-fields'

/**
 * The form editor over the editor page's JSON textarea. The textarea stays the source of truth
 * (it is what the form posts, and what the page is without scripts): every form change writes
 * the definition back into it, and the JSON tab's edits are read back into the form.
 */
export function startBuilder(document: Document) {
  const root = document.getElementById('builder')
  const textarea = document.getElementById('definition')
  const jsonField = document.getElementById('json-tab')
  const sampleSlot = document.getElementById('sample-slot')
  const csrf = document.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value
  if (!root || !(textarea instanceof HTMLTextAreaElement) || !jsonField || !csrf) return
  const data = JSON.parse(root.getAttribute('data-builder') ?? '{}') as BuilderData

  const parsed = parseDefinition(textarea.value)
  const editor = jsonEditor(textarea)
  const form = h('div', { class: 'builder-form', id: 'builder-form' })
  const jsonNote = h('p', { class: 'error-box', id: 'json-note', hidden: true })
  let errors = data.errors

  const builder: Builder = {
    data,
    csrf,
    sample: { input: {}, steps: {} },
    definition: parsed ?? { name: 'My workflow', nodes: [] },
    changed() {
      textarea.value = `${JSON.stringify(builder.definition, null, 2)}\n`
      // A value set from script fires no input event: the line numbers are redrawn here.
      editor.refresh()
      preview.schedule()
    },
    rerender() {
      const focused = document.activeElement?.id
      draw()
      builder.changed()
      if (focused) document.getElementById(focused)?.focus()
    },
    credentialTypesAt(path) {
      if (
        path.length !== 4 ||
        path[0] !== 'nodes' ||
        path[2] !== 'config' ||
        path[3] !== 'credential'
      )
        return undefined
      const node = builder.definition.nodes[path[1] as number]
      const types = data.nodes.find((n) => n.type === node?.type)?.credentialTypes
      return types?.length ? types : undefined
    },
  }
  const preview = livePreview(builder, csrf)

  function draw() {
    form.replaceChildren(
      workflowFields(builder),
      triggerFields(builder),
      h('h3', { class: 'nodes-title' }, 'Nodes, in the order they run'),
      ...(builder.definition.nodes.length
        ? builder.definition.nodes.map((node, i) => nodeCard(builder, node, i))
        : [h('p', { class: 'muted' }, 'No node yet: add the first one.')]),
      nodePicker(builder, (index) => document.getElementById(`node-card-${index}-title`)?.focus()),
    )
    showErrors(errors)
  }

  // Tabs: the form, or the JSON it writes. Either one's edits carry over to the other.
  const formTab = h('button', { type: 'button', 'aria-pressed': 'true', id: 'tab-form' }, 'Form')
  const jsonTab = h('button', { type: 'button', 'aria-pressed': 'false', id: 'tab-json' }, 'JSON')
  const show = (which: 'form' | 'json') => {
    rememberTab(which)
    formTab.setAttribute('aria-pressed', String(which === 'form'))
    jsonTab.setAttribute('aria-pressed', String(which === 'json'))
    form.hidden = which !== 'form'
    jsonField.hidden = which !== 'json'
  }
  formTab.addEventListener('click', () => {
    const next = parseDefinition(textarea.value)
    if (!next) {
      jsonNote.hidden = false
      jsonNote.textContent =
        'The JSON is not a workflow definition yet (it must be a JSON object with a nodes list): fix it here first.'
      return
    }
    jsonNote.hidden = true
    builder.definition = next
    errors = []
    draw()
    show('form')
    preview.schedule()
  })
  jsonTab.addEventListener('click', () => show('json'))
  textarea.addEventListener('input', () => {
    const next = parseDefinition(textarea.value)
    if (next) builder.definition = next
  })

  root.hidden = false
  root.replaceChildren(
    h('div', { class: 'tabs', role: 'group', 'aria-label': 'Edit as' }, formTab, jsonTab),
    jsonNote,
    form,
  )
  trackFocus(form)
  if (sampleSlot) {
    sampleSlot.hidden = false
    sampleSlot.append(
      samplePanel(builder, csrf, (sample) => {
        builder.sample = sample
        preview.setSample(sample)
      }),
    )
  }
  if (!parsed) {
    // The text is not JSON (a refused save of a broken text): the JSON tab shows it as typed.
    show('json')
    return
  }
  draw()
  // A refused save comes back on the tab it was made from.
  show(lastTab())
}

const TAB_KEY = 'automateos:editor-tab'

function lastTab(): 'form' | 'json' {
  try {
    return sessionStorage.getItem(TAB_KEY) === 'json' ? 'json' : 'form'
  } catch {
    return 'form'
  }
}

function rememberTab(tab: 'form' | 'json') {
  try {
    sessionStorage.setItem(TAB_KEY, tab)
  } catch {
    // Storage off: every page opens on the form.
  }
}

function parseDefinition(text: string): Definition | undefined {
  try {
    const value = JSON.parse(text)
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    if (!Array.isArray(value.nodes)) return undefined
    return value as Definition
  } catch {
    return undefined
  }
}
