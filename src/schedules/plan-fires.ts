import type { Cron } from 'croner'
import { nextFireAfter } from './cron'

export type CatchUp = 'none' | 'once' | 'all'

/** Under `all`, a schedule that missed more than this many times runs only the latest ones. */
export const MAX_CATCH_UP = 100
/**
 * A time the tick sees at most this long after it (120 000 ms included) is on time and runs under
 * every catchUp; older ones were missed (an outage, a deploy).
 */
export const ON_TIME_MS = 2 * 60_000

export type Fire = {
  /** The fire time this run stands for. */
  scheduledAt: number
  /** Under `once`: the first of the missed times this one run also stands for. */
  missedSince?: number
}

export type FirePlan = {
  fires: Fire[]
  /** The schedule's next fire time after `now`, or null when the cron has none left. */
  next: number | null
  /** Due times that get no run (catchUp `none`, or beyond MAX_CATCH_UP under `all`). */
  skipped: number
}

/**
 * What one tick does for a schedule whose stored next fire time `dueAt` has come: the runs to
 * start, following `catchUp`, and the next time to store. Pure, so it is tested without D1.
 */
export function planFires(cron: Cron, catchUp: CatchUp, dueAt: number, now: number): FirePlan {
  const next = nextFireAfter(cron, now)
  // Every fire time in [dueAt, now], oldest first; one more than the cap, to know it was reached.
  let due = cron
    .previousRuns(MAX_CATCH_UP + 1, new Date(now + 1))
    .map((date) => date.getTime())
    .filter((time) => time >= dueAt)
    .reverse()
  // dueAt was computed by this cron, so it is one of them; a DST shift can still hide it.
  if (due.length === 0) due = [dueAt]
  const latest = due[due.length - 1]!
  const reachedCap = due.length > MAX_CATCH_UP

  if (catchUp === 'none') {
    // Every on-time time runs, not only the latest: a tick late by a restart can see two of an
    // every-minute cron's times, and the older one was no more missed than the newer.
    const onTime = due.filter((time) => now - time <= ON_TIME_MS)
    return {
      fires: onTime.map((scheduledAt) => ({ scheduledAt })),
      next,
      skipped: due.length - onTime.length,
    }
  }
  if (catchUp === 'once') {
    const fire: Fire = { scheduledAt: latest }
    if (due.length > 1) fire.missedSince = dueAt
    return { fires: [fire], next, skipped: 0 }
  }
  const kept = due.slice(-MAX_CATCH_UP)
  return {
    fires: kept.map((scheduledAt) => ({ scheduledAt })),
    next,
    skipped: reachedCap ? Math.max(1, due.length - kept.length) : 0,
  }
}
