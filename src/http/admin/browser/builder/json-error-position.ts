/** Where a JSON text stops being JSON: 1-based line and column, and the offset in the text. */
export type JsonErrorPlace = { line: number; column: number; offset: number }

/** What the JSON tab says about a text that does not parse: the reason, and where when known. */
export type JsonProblem = { reason: string; place?: JsonErrorPlace }

/** The 1-based line and column of `offset` (clamped into the text). */
export function lineColumnAt(text: string, offset: number): JsonErrorPlace {
  const at = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let lineStart = 0
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: at - lineStart + 1, offset: at }
}

/** The offset of a 1-based line and column, kept inside that line (and the text). */
export function offsetAt(text: string, line: number, column: number): number {
  let start = 0
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start)
    if (next === -1) return text.length
    start = next + 1
  }
  const end = text.indexOf('\n', start)
  const lineEnd = end === -1 ? text.length : end
  return Math.min(start + Math.max(column - 1, 0), lineEnd)
}

/**
 * Reads JSON.parse's message for `text`. Browsers word it differently, and only some say where:
 * V8 "… in JSON at position 11 (line 3 column 2)" (older V8: the position only), Firefox "… at
 * line 3 column 2 of the JSON data", V8's "Unexpected token …, "…" is not valid JSON" and Safari
 * nothing. The place is worked out from the text, so it agrees with the gutter whatever the wording.
 */
export function describeJsonError(text: string, message: string): JsonProblem {
  const lineColumn = /\(?\bline (\d+) column (\d+)\b(?: of the JSON data)?\)?/i.exec(message)
  const position = /\bat position (\d+)/i.exec(message)
  let place: JsonErrorPlace | undefined
  if (position) place = lineColumnAt(text, Number(position[1]))
  else if (lineColumn) {
    place = lineColumnAt(text, offsetAt(text, Number(lineColumn[1]), Number(lineColumn[2])))
  } else if (/unexpected end of (json )?(input|data)/i.test(message) || text.trim() === '') {
    // The text ran out: the place is its end.
    place = lineColumnAt(text, text.length)
  }
  const reason =
    message
      .replace(/^JSON\.parse:\s*/i, '')
      .replace(/^JSON Parse error:\s*/i, '')
      .replace(/\s*(?:at )?\(?\bline \d+ column \d+\b(?: of the JSON data)?\)?/i, '')
      .replace(/\s*(in JSON )?at position \d+/i, '')
      .trim() || 'Not valid JSON'
  return { reason: reason[0]!.toUpperCase() + reason.slice(1), place }
}

/** The sentence under the editor: "Line 12, column 5: Expected ',' or '}'…". */
export function problemSentence(problem: JsonProblem): string {
  const { reason, place } = problem
  return place ? `Line ${place.line}, column ${place.column}: ${reason}` : reason
}
