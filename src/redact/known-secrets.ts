/**
 * Secret values this isolate has handled: the Worker's own secrets and every credential it has
 * decrypted. Redaction (src/redact/redact.ts) replaces them wherever they turn up: in a log line, in
 * an API's answer that echoes a token back, in an error message. Kept per isolate, not per run,
 * so a log line needs no run to be redacted; a value seen by another isolate is caught by the
 * patterns instead.
 */

/** Shorter values would match ordinary text (a user name, a number) and are not kept. */
export const MIN_SECRET_LENGTH = 8
/**
 * The shortest piece of a secret redaction hides where a text was cut through it (an API's
 * message cut at 300 characters): four characters of a random token say nothing, five start to.
 */
export const PIECE_LENGTH = 5
/** Oldest forgotten first; far more than the credentials one isolate uses at a time. */
const MAX_KNOWN = 200

const known = new Set<string>()
/** Longest first, so a secret that contains another is replaced whole; rebuilt on change. */
let ordered: string[] = []
/** Every PIECE_LENGTH-character window of every known secret: a cheap first test at a cut. */
let pieces = new Set<string>()

export function rememberSecret(value: unknown) {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return
  if (known.has(value)) {
    // Used again: moved to the young end, so a busy credential is never the one forgotten.
    known.delete(value)
    known.add(value)
    return
  }
  known.add(value)
  if (known.size > MAX_KNOWN) known.delete(known.values().next().value!)
  ordered = [...known].sort((a, b) => b.length - a.length)
  pieces = new Set()
  for (const secret of ordered)
    for (let i = 0; i + PIECE_LENGTH <= secret.length; i++)
      pieces.add(secret.slice(i, i + PIECE_LENGTH))
}

export function knownSecrets(): readonly string[] {
  return ordered
}

/** Whether these PIECE_LENGTH characters occur in some known secret. */
export function isPieceOfSecret(window: string): boolean {
  return pieces.has(window)
}
