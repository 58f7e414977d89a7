import { AutomateError } from '../errors'
import { tokenize, type Markup, type Token } from './markup-tokens'

/**
 * A text too long for one message, as several, each at most `limit` characters as the reader sees
 * them. A message is cut only between formatted spans and never inside an escape, a tag or an
 * entity: at a line break when one falls in the second half of the room, else at a space, else
 * between any two characters; the line break or space cut at is dropped. A span longer than a
 * whole message cannot be split and fails with MESSAGE_TOO_LONG, naming `field`.
 */
export function splitMessage(text: string, markup: Markup, limit: number, field: string) {
  const tokens = tokenize(text, markup)
  const parts: string[] = []
  let start = 0
  while (start < tokens.length) {
    let seen = 0
    let end = start
    const cuts = { newline: -1, space: -1, any: -1 }
    while (end < tokens.length && seen + tokens[end]!.visible <= limit) {
      const token = tokens[end]!
      seen += token.visible
      if (token.depth === 0) {
        if (token.space === 'newline' && seen > limit / 2) cuts.newline = end
        else if (token.space && seen > limit / 2) cuts.space = end
        cuts.any = end
      }
      end++
    }
    if (end === tokens.length) {
      parts.push(join(tokens, start, end))
      break
    }
    const cut = cuts.newline >= 0 ? cuts.newline : cuts.space >= 0 ? cuts.space : cuts.any
    if (cut < start) throw unsplittable(field, limit)
    // The whitespace cut at separates the two messages; it belongs to neither.
    parts.push(join(tokens, start, tokens[cut]!.space ? cut : cut + 1))
    start = cut + 1
  }
  return parts.filter((part) => part.trim() !== '')
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
