// The pages' only script, sent inline under the response's CSP nonce. Everything it does is an
// extra: every page works without it (the copy fields select on click, a running run reloads
// through <noscript><meta refresh>, forms post normally).
export const CLIENT_SCRIPT = `
(() => {
  'use strict'

  // Copy buttons beside [data-copy] elements (their text) or [data-copy-from] (a field's value).
  function addCopyButtons(root) {
    for (const el of root.querySelectorAll('[data-copy]:not([data-copy-ready])')) {
      el.setAttribute('data-copy-ready', '')
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'copy-button'
      button.textContent = el.getAttribute('data-copy') || 'Copy'
      const label = el.getAttribute('data-copy-label')
      if (label) button.setAttribute('aria-label', label)
      button.addEventListener('click', async () => {
        const source = el.getAttribute('data-copy-from')
        const field = source ? document.getElementById(source) : null
        const text = field ? field.value : el.textContent
        try {
          await navigator.clipboard.writeText(text.trim())
          flash(button, 'Copied')
        } catch {
          const range = document.createRange()
          range.selectNodeContents(field || el)
          const selection = getSelection()
          selection.removeAllRanges()
          selection.addRange(range)
          flash(button, 'Press Ctrl+C')
        }
      })
      el.after(button)
    }
  }

  function flash(button, text) {
    const before = button.textContent
    button.textContent = text
    button.setAttribute('aria-live', 'polite')
    setTimeout(() => (button.textContent = before), 1600)
  }

  // Forms that do something hard to undo ask first.
  document.addEventListener('submit', (event) => {
    const message = event.target.getAttribute && event.target.getAttribute('data-confirm')
    if (message && !confirm(message)) event.preventDefault()
  })

  // "Format" beside a JSON textarea: pretty-prints it in place, or says why it cannot.
  for (const button of document.querySelectorAll('[data-format-json]')) {
    button.hidden = false
    button.addEventListener('click', () => {
      const field = document.getElementById(button.getAttribute('data-format-json'))
      const status = document.getElementById(button.getAttribute('aria-describedby'))
      try {
        field.value = JSON.stringify(JSON.parse(field.value), null, 2)
        if (status) status.textContent = ''
      } catch (error) {
        if (status) status.textContent = 'Not valid JSON yet: ' + error.message
      }
    })
  }

  // Live regions: [data-live] elements are fetched again every 2 s and swapped in place, until
  // the server sends them without data-live (the run finished). Opened <details> stay open.
  let failures = 0
  async function refresh() {
    const regions = [...document.querySelectorAll('[data-live][id]')]
    if (regions.length === 0) return
    if (!document.hidden) {
      try {
        const response = await fetch(location.href, { headers: { accept: 'text/html' } })
        if (!response.ok) throw new Error(String(response.status))
        const next = new DOMParser().parseFromString(await response.text(), 'text/html')
        for (const region of regions) {
          const fresh = next.getElementById(region.id)
          if (!fresh) continue
          const open = new Set([...region.querySelectorAll('details[open][id]')].map((d) => d.id))
          const shut = new Set(
            [...region.querySelectorAll('details[id]:not([open])')].map((d) => d.id),
          )
          for (const d of fresh.querySelectorAll('details[id]')) {
            if (open.has(d.id)) d.open = true
            if (shut.has(d.id)) d.open = false
          }
          region.replaceWith(document.adoptNode(fresh))
          addCopyButtons(fresh)
        }
        document.title = next.title
        failures = 0
      } catch {
        failures += 1
      }
    }
    setTimeout(refresh, Math.min(2000 * 2 ** failures, 30000))
  }

  addCopyButtons(document)
  setTimeout(refresh, 2000)
})()
`
