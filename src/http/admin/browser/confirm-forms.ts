/** Forms that do something hard to undo ([data-confirm]) ask first. */
export function confirmRiskyForms(doc: Document) {
  doc.addEventListener('submit', (event) => {
    const form = event.target
    const message = form instanceof Element ? form.getAttribute('data-confirm') : null
    if (message && !confirm(message)) event.preventDefault()
  })
}
