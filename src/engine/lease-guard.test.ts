import { describe, expect, it } from 'vitest'
import { LEASE_MARGIN_MS, LEASE_MS, checkLease } from './lease-guard'

const now = 1_000_000
const base = {
  budget: { steps: 40, wallMs: 60_000 },
  stepsRun: 0,
  messageStartedAt: now,
  leaseUntil: now + LEASE_MS,
  timeoutMs: 30_000,
  now,
}

describe('checkLease', () => {
  it('runs the next node when the budget and the lease allow it', () => {
    expect(checkLease(base)).toEqual({ action: 'run' })
  })

  it('continues in a new message once the step budget is spent', () => {
    expect(checkLease({ ...base, stepsRun: 40 })).toEqual({ action: 'continue-later' })
  })

  it('continues in a new message once the wall time is spent', () => {
    expect(checkLease({ ...base, stepsRun: 3, now: now + 60_001 })).toEqual({
      action: 'continue-later',
    })
  })

  it('renews the lease for a first node whose timeout outlasts it', () => {
    expect(checkLease({ ...base, timeoutMs: 300_000 })).toEqual({
      action: 'renew',
      until: now + 300_000 + 2 * LEASE_MARGIN_MS,
    })
  })

  it('hands a later node that would outlast the lease to a new message instead', () => {
    const late = { ...base, stepsRun: 2, now: now + 90_000 }
    expect(checkLease(late)).toEqual({ action: 'continue-later' })
  })
})
