import { h } from './dom'

/**
 * A refused save's errors, put beside the field each names (`nodes.1.config.url`), or beside the
 * nearest enclosing field drawn; the server's list at the top of the form stays as it is.
 */
export function showErrors(errors: { path: string; message: string }[]) {
  for (const old of document.querySelectorAll('.field-error')) old.remove()
  errors.forEach((error, i) => {
    const field = nearestField(error.path)
    if (!field) return
    const id = `field-error-${i}`
    const control = field.querySelector<HTMLElement>('[data-path], input, select, textarea')
    control?.setAttribute('aria-invalid', 'true')
    const described = control?.getAttribute('aria-describedby')
    control?.setAttribute('aria-describedby', described ? `${described} ${id}` : id)
    field.append(h('p', { class: 'field-error', id }, error.message))
    // A field folded away (More fields, Settings) is unfolded to show what is wrong with it.
    for (let at = field.closest('details'); at; at = at.parentElement?.closest('details') ?? null)
      at.open = true
  })
}

function nearestField(path: string): Element | null {
  const parts = path.split('.')
  for (let n = parts.length; n > 0; n--) {
    const at = parts.slice(0, n).join('.')
    const found = document.querySelector(`[data-field="${CSS.escape(at)}"]`)
    if (found) return found
  }
  return null
}
