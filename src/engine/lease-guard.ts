/** How long a consumer owns a run before another delivery may take it over. */
export const LEASE_MS = 120_000
/** Room left in the lease after a node's timeout, for recording its step. */
export const LEASE_MARGIN_MS = 10_000

export type Budget = {
  /** Steps one message may run before the run continues in a new message. */
  steps: number
  /** Wall time one message may take before the same. */
  wallMs: number
}

export type LeaseCheck =
  { action: 'run' } | { action: 'renew'; until: number } | { action: 'continue-later' }

/**
 * Whether the next node may start in this message: within the message's step and time budget,
 * and with enough lease left to run it to its timeout and record it. A first node that needs
 * more lease renews it; a later one continues in a new message instead.
 */
export function checkLease(check: {
  budget: Budget
  /** Steps this message has run so far. */
  stepsRun: number
  messageStartedAt: number
  leaseUntil: number
  timeoutMs: number
  now: number
}): LeaseCheck {
  const { budget, stepsRun, now } = check
  if (stepsRun >= budget.steps || now - check.messageStartedAt > budget.wallMs) {
    return { action: 'continue-later' }
  }
  if (now + check.timeoutMs + LEASE_MARGIN_MS <= check.leaseUntil) return { action: 'run' }
  if (stepsRun > 0) return { action: 'continue-later' }
  return { action: 'renew', until: now + Math.max(LEASE_MS, check.timeoutMs + 2 * LEASE_MARGIN_MS) }
}
