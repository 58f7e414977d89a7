import { jsonValueLines, lineOfPath, syntaxErrorLine } from '../../lib/json-lines'
import type { ApiAnswer } from './api-call'

export type ShownError = { path?: string; line?: number; message: string }

/** An API refusal of a JSON text, each error placed at its field path and line in that text. */
export function locateErrors(text: string, answer: ApiAnswer): ShownError[] {
  if (answer.fieldErrors.length === 0) {
    const message = answer.message ?? 'The server refused it.'
    return [{ message, line: syntaxErrorLine(text) }]
  }
  let lines: Map<string, number> | undefined
  try {
    lines = jsonValueLines(text)
  } catch {
    lines = undefined
  }
  return answer.fieldErrors.map((e) => ({
    path: e.path,
    message: e.message,
    line: lines ? lineOfPath(lines, e.path === '(body)' ? '' : e.path) : undefined,
  }))
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
