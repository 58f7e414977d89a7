import { describe, expect, it } from 'vitest'
import type { RetryPolicy } from '../workflow/definition'
import { retryDelayMs } from './retry-policy'

const HOUR = 3600_000
const fixed: RetryPolicy = { maxAttempts: 5, delayMs: 1000, backoff: 'fixed' }
const exponential: RetryPolicy = { maxAttempts: 5, delayMs: 1000, backoff: 'exponential' }

describe('retryDelayMs', () => {
  it.each<[string, RetryPolicy, number, number | undefined, number]>([
    ['fixed, first retry', fixed, 1, undefined, 1000],
    ['fixed stays fixed', fixed, 4, undefined, 1000],
    ['exponential, first retry', exponential, 1, undefined, 1000],
    ['exponential doubles', exponential, 2, undefined, 2000],
    ['exponential, fourth retry', exponential, 4, undefined, 8000],
    [
      'maxDelayMs caps exponential growth',
      { ...exponential, maxDelayMs: 3000 },
      4,
      undefined,
      3000,
    ],
    [
      'maxDelayMs above the delay changes nothing',
      { ...fixed, maxDelayMs: 5000 },
      3,
      undefined,
      1000,
    ],
    ['a longer Retry-After wins', fixed, 1, 7000, 7000],
    ['a shorter Retry-After does not shorten the wait', exponential, 3, 500, 4000],
    ['Retry-After wins over maxDelayMs too', { ...exponential, maxDelayMs: 2000 }, 4, 9000, 9000],
    ['zero delay', { ...fixed, delayMs: 0 }, 1, undefined, 0],
    [
      'exponential growth stops at 12 hours',
      { ...exponential, delayMs: HOUR },
      10,
      undefined,
      12 * HOUR,
    ],
    ['a Retry-After beyond 12 hours is held to 12 hours', fixed, 1, 48 * HOUR, 12 * HOUR],
  ])('%s', (_, policy, attempt, retryAfterMs, expected) => {
    expect(retryDelayMs(policy, attempt, retryAfterMs)).toBe(expected)
  })
})
