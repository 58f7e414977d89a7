import { AutomateError } from '../errors'

/**
 * JSON text parsed so that no number changes on the way in. JSON.parse turns every number into
 * a double, so a 64-bit id (Shopify's orders and customers, X's posts) beyond 2^53 arrives as a
 * neighbour: 820982911946154508 becomes 820982911946154500, and a workflow looks up, stores or
 * dedupes the wrong order. An integer outside the safe range (±(2^53 − 1)) is kept instead as
 * the exact digits it was sent with, in a string. Strings, not BigInt: they survive
 * JSON.stringify, D1, the queue and JSONata unchanged, and a template writes them as sent.
 * Fractions and exponents (1.5, 1e300) stay doubles: a sender writing those means a double.
 *
 * The digits come from the parser itself (the reviver's `context.source`, in V8 since 11.4 and
 * so in every recent workerd), so there is no second parser to keep in step with the first.
 */
export function parseJsonLossless(text: string): unknown {
  // A safe integer has at most 16 digits: text without a run of 16 has nothing to lose, and
  // skips the reviver's cost.
  if (!LONG_DIGITS.test(text)) return JSON.parse(text)
  return JSON.parse(text, keepBigIntegers as (key: string, value: unknown) => unknown)
}

const LONG_DIGITS = /\d{16}/
const INTEGER = /^-?\d+$/

function keepBigIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value
  const source = context?.source
  // Never silently lossy: a runtime without source access fails loudly, in the tests first.
  if (source === undefined)
    throw new AutomateError('INTERNAL', 'JSON.parse gives no source text for big integers')
  return INTEGER.test(source) ? source : value
}
