import { AutomateError } from '../errors'
import type { NodeDefinition } from '../nodes/define-node'
import type { RetryPolicy } from '../workflow/definition'
import { MAX_QUEUE_DELAY_MS } from './messages'

/** The wait before attempt `attempt + 1`; an API's own Retry-After wins when it asks for longer. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs?: number): number {
  const base =
    policy.backoff === 'exponential' ? policy.delayMs * 2 ** (attempt - 1) : policy.delayMs
  const capped = policy.maxDelayMs !== undefined ? Math.min(base, policy.maxDelayMs) : base
  return Math.min(Math.max(capped, retryAfterMs ?? 0), MAX_QUEUE_DELAY_MS)
}

export const NO_RETRY: RetryPolicy = { maxAttempts: 1, delayMs: 0, backoff: 'fixed' }

/**
 * What an app node does without a `retry` of its own (issue 19 item 10): a rate limit (429) or a
 * transient failure (408, 5xx, an app's own "try again") is tried again up to 5 times in all,
 * 1, 2, 4, 8 s apart or after the wait the API asks for, and never after a wait longer than a
 * minute (Google's per-minute quotas ask for exactly that): at most 4 minutes of waiting in all.
 */
export const APP_DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  delayMs: 1000,
  backoff: 'exponential',
  maxDelayMs: 60_000,
}

/** The policy a step runs under: its own, else its node's default (app nodes retry). */
export function retryPolicyOf(
  definition: NodeDefinition | undefined,
  retry: RetryPolicy | undefined,
): { policy: RetryPolicy; byDefault: boolean } {
  if (retry) return { policy: retry, byDefault: false }
  return definition?.service
    ? { policy: APP_DEFAULT_RETRY, byDefault: true }
    : { policy: NO_RETRY, byDefault: true }
}

/**
 * Whether the default policy tries this error again: the app answered with its own error (the
 * service's codes: not a timeout or a dropped connection, after which the call may have taken
 * effect, nor our own refusals), said to try again (retryable), and asked for no longer a wait
 * than the default allows. A step's own `retry` may still ask for more.
 */
export function defaultRetries(
  thrown: unknown,
  policy: RetryPolicy,
  definition: NodeDefinition | undefined,
): boolean {
  const service = definition?.service
  if (!service || !(thrown instanceof AutomateError) || !thrown.retryable) return false
  const codes: readonly string[] = [service.errorCode, ...(service.otherCodes ?? [])]
  if (!codes.includes(thrown.code)) return false
  return (thrown.retryAfterMs ?? 0) <= (policy.maxDelayMs ?? MAX_QUEUE_DELAY_MS)
}
