/**
 * Secret values this isolate has handled: the Worker's own secrets and every credential it has
 * decrypted. Redaction (src/redact/redact.ts) replaces them wherever they turn up: in a log line, in
 * an API's answer that echoes a token back, in an error message. Kept per isolate, not per run,
 * so a log line needs no run to be redacted; a value seen by another isolate is caught by the
 * patterns instead.
 */

/** Shorter values would match ordinary text (a user name, a number) and are not kept. */
export const MIN_SECRET_LENGTH = 8
/** Oldest forgotten first; far more than the credentials one isolate uses at a time. */
const MAX_KNOWN = 200

const known = new Set<string>()
/** Longest first, so a secret that contains another is replaced whole; rebuilt on change. */
let ordered: string[] = []

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
}

export function knownSecrets(): readonly string[] {
  return ordered
}
