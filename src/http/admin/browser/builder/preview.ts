import { h } from './dom'
import type { Builder } from './model'
import type { Sample } from './sample-panel'

type FieldResult = { path: string; value?: unknown; error?: string }
type NextFires = { ok: true; times: string[] } | { ok: false; field: string; message: string }
type Preview = { nodes: { id: string; fields: FieldResult[] }[]; nextFires?: NextFires }

const WAIT_MS = 350

/**
 * Live template preview: the definition and the sample go to the server (POST
 * /admin/workflows/preview, the API's preview behind the session), which fills every template in
 * with the same JSONata code a run uses; each template field then shows its value or its error.
 * Answers that arrive after a newer request was sent are dropped.
 */
export function livePreview(b: Builder, csrf: string) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let sent = 0
  let sample: Sample = { input: {}, steps: {} }

  async function ask() {
    const ticket = ++sent
    const body = new URLSearchParams({
      _csrf: csrf,
      body: JSON.stringify({ definition: b.definition, sample }),
    })
    let answer: Preview
    try {
      const response = await fetch('/admin/workflows/preview', { method: 'POST', body })
      if (!response.ok) return
      answer = (await response.json()) as Preview
    } catch {
      return
    }
    if (ticket === sent) show(answer)
  }

  return {
    schedule() {
      clearTimeout(timer)
      timer = setTimeout(ask, WAIT_MS)
    },
    setSample(next: Sample) {
      sample = next
      clearTimeout(timer)
      timer = setTimeout(ask, WAIT_MS)
    },
    now: ask,
  }
}

function show(preview: Preview) {
  for (const old of document.querySelectorAll('.preview')) old.remove()
  for (const node of preview.nodes) {
    for (const field of node.fields) {
      const found = nearestControl(field.path)
      if (!found) continue
      const { control, rest } = found
      const id = `${control.id}-preview-${rest.replace(/\W/g, '_')}`
      // A template inside a JSON field (body.text) is shown under that field, named.
      const where = rest ? `${rest}: ` : ''
      const text =
        field.error !== undefined
          ? `${where}${field.error}`
          : `${where}→ ${JSON.stringify(field.value, null, 1)}`
      const out = h(
        'output',
        {
          class: `preview ${field.error !== undefined ? 'preview-error' : 'preview-value'}`,
          id,
          for: control.id,
          'data-preview': field.path,
        },
        text,
      )
      control.insertAdjacentElement('afterend', out)
    }
  }
  const fires = document.getElementById('next-fires')
  if (fires) fires.replaceChildren(...nextFiresText(preview.nextFires))
}

function nearestControl(path: string) {
  const parts = path.split('.')
  for (let n = parts.length; n > 0; n--) {
    const control = document.querySelector(
      `[data-path="${CSS.escape(parts.slice(0, n).join('.'))}"]`,
    )
    if (control && control.tagName !== 'FIELDSET')
      return { control, rest: parts.slice(n).join('.') }
  }
  return undefined
}

function nextFiresText(fires: NextFires | undefined): HTMLElement[] {
  if (!fires) return []
  if (!fires.ok)
    return [h('p', { class: 'preview preview-error' }, `${fires.field}: ${fires.message}`)]
  return [
    h('p', { class: 'small muted' }, 'Next five fire times (your local time, then UTC):'),
    h(
      'ol',
      { class: 'small' },
      fires.times.map((t) =>
        h('li', {}, h('time', { datetime: t }, `${new Date(t).toLocaleString()} · ${t}`)),
      ),
    ),
  ]
}
