import { jsonValueLines, lineOfPath, syntaxErrorLine } from '../lib/json-lines'
import type { ApiAnswer } from '../lib/api-answer'

export type ShownError = { path?: string; line?: number; message: string }

/** An API refusal of a JSON text, each error placed at its field path and line in that text. */
export function locateErrors(text: string, answer: ApiAnswer): ShownError[] {
  let lines: Map<string, number>
  try {
    lines = jsonValueLines(text)
  } catch {
    // Not JSON at all: one error, at the line where it stops being JSON.
    return [{ message: answer.message ?? 'Not valid JSON.', line: syntaxErrorLine(text) }]
  }
  if (answer.fieldErrors.length === 0) return [{ message: answer.message ?? 'Refused.' }]
  return answer.fieldErrors.map((e) => {
    const path = e.path === '(body)' ? '' : e.path
    return { path: path || undefined, message: e.message, line: lineOfPath(lines, path) }
  })
}

/** The list of what is wrong, linked to the field it is about (labelled for screen readers). */
export function ErrorList({
  errors,
  id,
  title,
}: {
  errors: ShownError[]
  id: string
  title: string
}) {
  if (errors.length === 0) return null
  return (
    <div class="error-box" role="alert" id={id}>
      <strong>{title}</strong>
      <ul>
        {errors.map((e) => (
          <li>
            {e.path ? (
              <>
                <code>{e.path}</code>
                {e.line ? <span> (line {e.line})</span> : null}:{' '}
              </>
            ) : e.line ? (
              <span>Line {e.line}: </span>
            ) : null}
            {e.message}
          </li>
        ))}
      </ul>
    </div>
  )
}
