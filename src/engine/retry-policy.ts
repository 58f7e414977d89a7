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
