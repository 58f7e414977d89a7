// A poll trigger's `every`: how often it polls, as the cron that drives it can keep it.

export const EVERY_PATTERN = /^(\d{1,5})(m|h|d)$/
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const

/** The Worker's cron ticks once a minute: a shorter interval would promise what cannot be kept. */
export const MIN_EVERY_MS = 60_000
export const MAX_EVERY_MS = 7 * 86_400_000

/** Runs one poll starts at most: the rest of what it found waits for the next poll. */
export const MAX_POLL_ITEMS = 100

/** `every` in milliseconds (5m is 300 000); NaN when it does not parse. */
export function everyMs(every: string): number {
  const match = EVERY_PATTERN.exec(every)
  if (!match) return NaN
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]
}

/** Why `every` cannot be kept, or undefined when it can. */
export function everyIssue(every: string): string | undefined {
  const ms = everyMs(every)
  if (Number.isNaN(ms)) return undefined // the pattern's own message says it
  if (ms < MIN_EVERY_MS) return 'must be at least 1m: the cron ticks once a minute'
  if (ms > MAX_EVERY_MS) return 'must be at most 7d'
  return undefined
}
