/** "Format" beside a JSON textarea: pretty-prints it in place, or says why it cannot. */
export function addFormatButtons(root: ParentNode) {
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-format-json]')) {
    // Hidden in the HTML: without this script it would do nothing.
    button.hidden = false
    button.addEventListener('click', () => {
      const field = document.getElementById(button.getAttribute('data-format-json') ?? '')
      const status = document.getElementById(button.getAttribute('aria-describedby') ?? '')
      if (!(field instanceof HTMLTextAreaElement)) return
      try {
        field.value = JSON.stringify(JSON.parse(field.value), null, 2)
        if (status) status.textContent = ''
      } catch (error) {
        if (status) status.textContent = 'Not valid JSON yet: ' + (error as Error).message
      }
    })
  }
}
