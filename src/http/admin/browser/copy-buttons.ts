/** Copy buttons beside [data-copy] elements (their text) or [data-copy-from] (a field's value). */
export function addCopyButtons(root: ParentNode) {
  for (const el of root.querySelectorAll<HTMLElement>('[data-copy]:not([data-copy-ready])')) {
    el.setAttribute('data-copy-ready', '')
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'copy-button'
    button.textContent = el.getAttribute('data-copy') || 'Copy'
    const label = el.getAttribute('data-copy-label')
    if (label) button.setAttribute('aria-label', label)
    button.addEventListener('click', () => copy(el, button))
    el.after(button)
  }
}

async function copy(el: HTMLElement, button: HTMLButtonElement) {
  const source = el.getAttribute('data-copy-from')
  const field = source ? (document.getElementById(source) as HTMLInputElement | null) : null
  const text = field ? field.value : (el.textContent ?? '')
  try {
    await navigator.clipboard.writeText(text.trim())
    flash(button, 'Copied')
  } catch {
    // No clipboard (plain http, or refused): select the text so one keystroke copies it.
    const range = document.createRange()
    range.selectNodeContents(field || el)
    const selection = getSelection()
    selection?.removeAllRanges()
    selection?.addRange(range)
    flash(button, 'Press Ctrl+C')
  }
}

function flash(button: HTMLButtonElement, text: string) {
  const before = button.textContent
  button.textContent = text
  button.setAttribute('aria-live', 'polite')
  setTimeout(() => (button.textContent = before), 1600)
}
