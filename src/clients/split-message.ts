import { AutomateError } from '../errors'
import { tokenize, type Markup, type Token } from './markup-tokens'

/**
 * A text too long for one message, as several, each at most `limit` characters as the reader sees
 * them. A message is cut only between formatted spans and never inside an escape, a tag or an
 * entity: at a line break in the second half of the room, else at a space there, else at any
 * line break or space, else between two characters; the line break or space cut at is dropped.
 * A span longer than a whole message cannot be split and fails with MESSAGE_TOO_LONG.
 */
export function splitMessage(text: string, markup: Markup, limit: number, field: string) {
  const tokens = tokenize(text, markup)
  const parts: string[] = []
  let start = skipBlanks(tokens, 0)
  while (start < tokens.length) {
    let seen = 0
    let end = start
    const cuts = { line: -1, space: -1, blank: -1, any: -1 }
    const consider = (at: number) => {
      const token = tokens[at]!
      if (token.depth !== 0) return
      const late = seen > limit / 2
      if (token.space === 'newline' && late) cuts.line = at
      else if (token.space && late) cuts.space = at
      else if (token.space) cuts.blank = at
      else cuts.any = at
    }
    while (end < tokens.length && seen + tokens[end]!.visible <= limit) {
      seen += tokens[end]!.visible
      consider(end++)
    }
    if (end === tokens.length) {
      parts.push(join(tokens, start, end))
      break
    }
    // The first character that does not fit may be a space or line break: as good a place.
    if (tokens[end]!.space) consider(end)
    const cut = [cuts.line, cuts.space, cuts.blank, cuts.any].find((at) => at >= start) ?? -1
    if (cut < 0) throw unsplittable(field, limit)
    // The whitespace cut at separates the two messages; it belongs to neither.
    parts.push(join(tokens, start, tokens[cut]!.space ? cut : cut + 1))
    start = skipBlanks(tokens, cut + 1)
  }
  return parts
}

function skipBlanks(tokens: Token[], from: number) {
  let at = from
  while (at < tokens.length && tokens[at]!.space && tokens[at]!.depth === 0) at++
  return at
}

function join(tokens: Token[], from: number, to: number) {
  return tokens
    .slice(from, to)
    .map((t) => t.raw)
    .join('')
}

function unsplittable(field: string, limit: number) {
  return new AutomateError(
    'MESSAGE_TOO_LONG',
    `${field}: a formatted span (bold, code, a link…) is longer than one message of ${limit} ` +
      'characters, so the text cannot be split without cutting it; shorten that span',
    { retryable: false, details: { field, limit } },
  )
}

/**
 * Sends the parts of a split message in order. A failure after the first part is final: the
 * engine retries a whole step, which would post the parts already sent a second time.
 */
export async function sendParts<T>(
  parts: string[],
  send: (part: string, index: number) => Promise<T>,
) {
  const sent: T[] = []
  for (const part of parts) {
    try {
      sent.push(await send(part, sent.length))
    } catch (error) {
      if (sent.length === 0 || !(error instanceof AutomateError)) throw error
      const message =
        `part ${sent.length + 1} of ${parts.length} failed after ${sent.length} were sent ` +
        `(not retried, so those are not sent twice): ${error.message}`
      throw new AutomateError(error.code, message, {
        status: error.status,
        retryable: false,
        cause: error,
        details: { sentParts: sent.length, parts: parts.length, error: error.details },
      })
    }
  }
  return sent
}
