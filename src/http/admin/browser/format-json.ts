import { describeJsonError, problemSentence } from './builder/json-error-position'

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
        // As if typed: the JSON tab's line numbers and the form editor follow the new text.
        field.dispatchEvent(new Event('input', { bubbles: true }))
        if (status) status.textContent = ''
      } catch (error) {
        const problem = describeJsonError(field.value, (error as Error).message)
        if (status) status.textContent = `Not valid JSON yet: ${problemSentence(problem)}`
      }
    })
  }
}
