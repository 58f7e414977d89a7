/**
 * Names whose values are credentials: Authorization, X-Gitlab-Token,
 * X-Telegram-Bot-Api-Secret-Token, api-key, X-Hub-Signature-256, Cookie, ?token=, ?password=.
 * A name pattern, not a list: senders invent new header names faster than a list grows.
 */
const SECRET_NAME = /auth|token|secret|key|signature|cookie|password|passwd|session|credential/i

export const REDACTED = '[redacted]'

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
