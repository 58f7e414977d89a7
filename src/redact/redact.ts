import { originsOnly } from './origins-only'
import { PIECE_LENGTH, isPieceOfSecret, knownSecrets } from './known-secrets'
import { SECRET_PATTERNS } from './secret-patterns'

/**
 * The one redaction layer. Log lines (logEvent) get all of it; step rows get the values this
 * isolate knows to be secret (a credential's token echoed by an API) and, in error messages, the
 * patterns as well. A step's output keeps anything that merely looks like a secret: it is the
 * next node's input, and rewriting a user's data by its shape would change what the run does.
 */

export const REDACTED = '[redacted]'

/**
 * Names whose values are credentials: Authorization, X-Gitlab-Token,
 * X-Telegram-Bot-Api-Secret-Token, api-key, X-Hub-Signature-256, X-Shopify-Hmac-Sha256, Cookie,
 * ?token=, ?password=.
 * A name pattern, not a list: senders invent new header names faster than a list grows.
 */
const SECRET_NAME =
  /auth|token|secret|key|signature|hmac|cookie|password|passwd|session|credential/i

export function isSecretName(name: string) {
  return SECRET_NAME.test(name)
}

/** Header or query pairs as the run log keeps them: a secret-looking name keeps only a marker. */
export function redactPairs(pairs: Iterable<[string, string]>, skip?: (name: string) => boolean) {
  const result: Record<string, string> = {}
  for (const [name, value] of pairs) {
    if (skip?.(name)) continue
    result[name] = isSecretName(name) ? REDACTED : value
  }
  return result
}

/** Known secret values in a text replaced, whatever surrounds them. */
export function redactKnown(text: string): string {
  for (const secret of knownSecrets()) {
    if (text.includes(secret)) text = text.split(secret).join(REDACTED)
  }
  return text
}

/**
 * A text that may have been cut through a known secret: the secret's beginning at the text's end,
 * or its end at the text's start, replaced too, when at least PIECE_LENGTH characters long.
 */
export function redactCutEdges(text: string): string {
  if (text.length < PIECE_LENGTH) return text
  const tailHit = isPieceOfSecret(text.slice(-PIECE_LENGTH))
  const headHit = isPieceOfSecret(text.slice(0, PIECE_LENGTH))
  if (!tailHit && !headHit) return text
  let start = 0
  let end = text.length
  for (const secret of knownSecrets()) {
    const longest = Math.min(secret.length, text.length)
    if (tailHit) {
      for (let k = longest; k >= PIECE_LENGTH; k--) {
        if (text.endsWith(secret.slice(0, k))) {
          end = Math.min(end, text.length - k)
          break
        }
      }
    }
    if (headHit) {
      for (let k = longest; k >= PIECE_LENGTH; k--) {
        if (text.startsWith(secret.slice(-k))) {
          start = Math.max(start, k)
          break
        }
      }
    }
  }
  if (start >= end) return start === 0 && end === text.length ? text : REDACTED
  return (start > 0 ? REDACTED : '') + text.slice(start, end) + (end < text.length ? REDACTED : '')
}

/**
 * At most `max` characters of a text, redacted before it is cut: cutting first would leave all
 * but the last characters of a secret that straddles the cut, which no search for it would find.
 */
export function cutText(text: string, max: number): string {
  const redacted = redactKnown(text)
  return redacted.length <= max ? redacted : redactCutEdges(redacted.slice(0, max))
}

/** Known values, then every secret-shaped string (webhook URL paths, bearer tokens, API keys). */
export function redactText(text: string): string {
  text = redactCutEdges(redactKnown(text))
  for (const { pattern } of SECRET_PATTERNS) text = text.replace(pattern, `$1${REDACTED}`)
  return text
}

/**
 * A log line's fields: a field named like a secret keeps only the marker, every string is
 * redacted as text and its URLs cut to their origin. Depth-bounded: a log field is never a payload.
 */
export function redactFields(value: unknown, depth = 0): unknown {
  // A log names a URL by its origin only, as error messages do: paths and queries hold secrets.
  if (typeof value === 'string') return originsOnly(redactText(value))
  if (typeof value !== 'object' || value === null) return value
  if (depth > 8) return REDACTED
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1))
  return Object.fromEntries(
    Object.entries(value).map(([name, field]) => [
      name,
      isSecretName(name) && (typeof field !== 'object' || field === null)
        ? REDACTED
        : redactFields(field, depth + 1),
    ]),
  )
}

/**
 * A JSON value with known secret values replaced in its strings (keys too), or the same value
 * when there is none: looked for in the JSON text first, so a clean output costs one search.
 */
export function redactKnownInJson<T>(value: T, text: string): { value: T; text: string } {
  const hits = knownSecrets().filter((secret) => text.includes(jsonEscaped(secret)))
  if (hits.length === 0) return { value, text }
  const scrub = (s: string) => {
    for (const secret of hits) if (s.includes(secret)) s = s.split(secret).join(REDACTED)
    return s
  }
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return scrub(node)
    if (Array.isArray(node)) return node.map(walk)
    if (typeof node !== 'object' || node === null) return node
    // fromEntries defines each key, so a "__proto__" key stays data, as JSON.parse made it.
    return Object.fromEntries(
      Object.entries(node).map(([name, field]) => [scrub(name), walk(field)]),
    )
  }
  const redacted = walk(value) as T
  return { value: redacted, text: JSON.stringify(redacted) }
}

/**
 * A step's error as recorded: its message redacted as text, its details of known values, and
 * both of a known secret's piece at a string's end or start: a node may have cut either (an
 * API's answer quoted up to a length), and an error, unlike an output, is not the user's data.
 */
export function redactError<T extends { message: string; details?: unknown }>(error: T): T {
  const message = redactText(error.message)
  if (error.details === undefined) return message === error.message ? error : { ...error, message }
  const details = redactKnownInJson(error.details, JSON.stringify(error.details) ?? '').value
  return { ...error, message, details: mapStrings(details, redactCutEdges) }
}

function mapStrings(node: unknown, change: (text: string) => string, depth = 0): unknown {
  if (typeof node === 'string') return change(node)
  if (typeof node !== 'object' || node === null || depth > 64) return node
  if (Array.isArray(node)) return node.map((item) => mapStrings(item, change, depth + 1))
  // fromEntries defines each key, so a "__proto__" key stays data, as JSON.parse made it.
  return Object.fromEntries(
    Object.entries(node).map(([name, field]) => [
      change(name),
      mapStrings(field, change, depth + 1),
    ]),
  )
}

function jsonEscaped(text: string) {
  return JSON.stringify(text).slice(1, -1)
}
