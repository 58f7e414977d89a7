import { h } from './dom'
import { describeJsonError, type JsonProblem, problemSentence } from './json-error-position'

/** The JSON tab's editor, for whoever changes the text without typing (the form, Format). */
export type JsonEditor = { refresh(): void }

const INDENT = '  '
// Long enough that a check does not run on every keystroke, short enough to feel live.
const CHECK_DELAY_MS = 300

/**
 * Line numbers, a live "Line 12, column 5: …" under the text, Tab that indents and Enter that
 * keeps the indentation, around the plain textarea: no library (a code editor would weigh more
 * than the whole page script, which every admin page carries inline), and without this script
 * the textarea is still the form field it was.
 */
export function jsonEditor(textarea: HTMLTextAreaElement): JsonEditor {
  const numbers = h('div', { class: 'json-gutter-lines' })
  // The numbers are drawn, not read: a screen reader has the caret's line already.
  const gutter = h('div', { class: 'json-gutter', 'aria-hidden': 'true' }, numbers)
  const frame = h('div', { class: 'json-editor' })
  textarea.before(frame)
  frame.append(gutter, textarea)
  // Wrapped lines would put the numbers out of step with the lines they count.
  textarea.setAttribute('wrap', 'off')

  const problemText = h('p', { id: 'json-problem', role: 'status' })
  const goTo = h('button', { type: 'button', class: 'small-button', hidden: true })
  // Never hidden, only emptied: a live region that appears with its text is often not read out.
  const status = h('div', { class: 'json-status' }, problemText, goTo)
  const keysHint = h('p', { class: 'hint', id: 'json-keys-hint' })
  frame.after(status, keysHint)

  const invalidAtLoad = textarea.getAttribute('aria-invalid')
  const describedBy = [textarea.getAttribute('aria-describedby'), 'json-keys-hint']
    .filter(Boolean)
    .join(' ')
  textarea.setAttribute('aria-describedby', describedBy)

  let shownLines = 0
  let markedLine: Element | undefined
  let problem: JsonProblem | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  function drawNumbers() {
    const count = lineCount(textarea.value)
    if (count === shownLines) return
    if (count > shownLines) {
      const added = document.createDocumentFragment()
      for (let n = shownLines + 1; n <= count; n++) added.append(h('span', {}, String(n)))
      numbers.append(added)
    } else {
      while (numbers.childElementCount > count) numbers.lastElementChild?.remove()
    }
    shownLines = count
    gutter.style.width = `calc(${String(count).length}ch + 18px)`
  }

  function followScroll() {
    numbers.style.transform = `translateY(${-textarea.scrollTop}px)`
  }

  function check() {
    clearTimeout(timer)
    const text = textarea.value
    problem = undefined
    try {
      JSON.parse(text)
    } catch (error) {
      problem = describeJsonError(text, error instanceof Error ? error.message : String(error))
    }
    markedLine?.classList.remove('json-bad-line')
    markedLine = problem?.place ? numbers.children[problem.place.line - 1] : undefined
    markedLine?.classList.add('json-bad-line')
    const sentence = problem ? problemSentence(problem) : ''
    // Written only when it changes: the status region is read out on every change.
    if (problemText.textContent !== sentence) problemText.textContent = sentence
    status.classList.toggle('json-status-bad', Boolean(problem))
    goTo.hidden = !problem?.place
    if (problem?.place) goTo.textContent = `Go to line ${problem.place.line}`
    if (problem) {
      textarea.setAttribute('aria-invalid', 'true')
      textarea.setAttribute('aria-describedby', `${describedBy} json-problem`)
    } else {
      // A refused save's own mark stays until the page is saved again.
      if (invalidAtLoad) textarea.setAttribute('aria-invalid', invalidAtLoad)
      else textarea.removeAttribute('aria-invalid')
      textarea.setAttribute('aria-describedby', describedBy)
    }
  }

  goTo.addEventListener('click', () => {
    const place = problem?.place
    if (!place) return
    textarea.focus()
    textarea.setSelectionRange(place.offset, place.offset)
    // Setting the caret does not always scroll a textarea to it: put the line a third down.
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight)
    if (lineHeight > 0) {
      const top = (place.line - 1) * lineHeight
      if (top < textarea.scrollTop || top + lineHeight > textarea.scrollTop + textarea.clientHeight)
        textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 3)
    }
    followScroll()
  })

  // Tab indents while the caret is in the text; Esc hands Tab back to the page until the editor
  // is left and entered again, so a keyboard user is never kept inside it.
  let tabLeaves = false
  const setTabLeaves = (leaves: boolean) => {
    tabLeaves = leaves
    keysHint.textContent = leaves
      ? 'Tab now moves on to the next control. Back in the editor, Tab indents again.'
      : 'Tab indents by two spaces here. To move on with the keyboard, press Esc, then Tab.'
  }
  setTabLeaves(false)
  textarea.addEventListener('focus', () => setTabLeaves(false))
  textarea.addEventListener('keydown', (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return
    if (event.key === 'Escape') setTabLeaves(true)
    else if (event.key === 'Tab' && !event.shiftKey && !tabLeaves) {
      event.preventDefault()
      insert(textarea, INDENT)
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      insert(textarea, `\n${indentOfCaretLine(textarea)}`)
    }
  })
  textarea.addEventListener('input', () => {
    drawNumbers()
    followScroll()
    clearTimeout(timer)
    timer = setTimeout(check, CHECK_DELAY_MS)
  })
  textarea.addEventListener('scroll', followScroll)

  const refresh = () => {
    drawNumbers()
    followScroll()
    check()
  }
  refresh()
  return { refresh }
}

function lineCount(text: string): number {
  let count = 1
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++
  return count
}

function indentOfCaretLine(textarea: HTMLTextAreaElement): string {
  const caret = textarea.selectionStart
  const lineStart = textarea.value.lastIndexOf('\n', caret - 1) + 1
  return /^[ \t]*/.exec(textarea.value.slice(lineStart, caret))?.[0] ?? ''
}

/** Types `text` at the caret, over any selection. */
function insert(textarea: HTMLTextAreaElement, text: string) {
  // execCommand keeps the browser's undo history (Ctrl+Z takes an indent back) and fires input
  // itself; it is deprecated, so where it refuses, setRangeText and an input event of our own.
  if (document.execCommand('insertText', false, text)) return
  textarea.setRangeText(text, textarea.selectionStart, textarea.selectionEnd, 'end')
  textarea.dispatchEvent(new Event('input', { bubbles: true }))
}
