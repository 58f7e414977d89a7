import { parseJsonLossless } from '../lib/lossless-json'
import { AutomateError } from '../errors'

/**
 * How deeply a request's JSON may nest. JSON.parse copes with any depth, but JSON.stringify,
 * structured clone (the queue) and every recursive walk after it do not: 100 000 `[`s would
 * fail later with a RangeError, a 500, after a delivery id was claimed. Real payloads stay
 * under 20 levels.
 */
export const MAX_JSON_DEPTH = 64

/**
 * Parses request JSON, refusing invalid or too deeply nested text with a 400 that says which.
 * Integers beyond 2^53 stay exact, as strings of their digits (src/lib/lossless-json.ts).
 */
export function parseRequestJson(text: string): unknown {
  let value: unknown
  try {
    value = parseJsonLossless(text)
  } catch (error) {
    if (error instanceof RangeError) throw tooDeep()
    const message = (error as Error).message
    throw new AutomateError('INVALID_JSON', `Request body is not valid JSON: ${message}`, {
      status: 400,
      details: [{ path: '(body)', message }],
    })
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) throw tooDeep()
  return value
}

/** Whether `value` nests more than `limit` arrays or objects deep; iterative, so never overflows. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth + 1 > limit) return true
    for (const child of Array.isArray(current) ? current : Object.values(current))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
  }
  return false
}

function tooDeep() {
  return new AutomateError(
    'JSON_TOO_DEEP',
    `Request body nests deeper than the limit of ${MAX_JSON_DEPTH} levels`,
    {
      status: 400,
      details: [{ path: '(body)', message: `at most ${MAX_JSON_DEPTH} levels of nesting` }],
    },
  )
}
