import { cronIssue, nextFireAfter, parseCron, timezoneIssue } from './cron'

/** How many upcoming times the editor shows for a schedule. */
export const NEXT_FIRES_SHOWN = 5

export type NextFires =
  { ok: true; times: string[] } | { ok: false; field: string; message: string }

/**
 * The schedule's next fire times after `now`, by the same cron code the scheduler runs on, so
 * what the editor promises is what happens. A bad zone or cron says which field and why.
 */
export function nextFires(
  cron: string,
  timezone = 'UTC',
  now = Date.now(),
  count = NEXT_FIRES_SHOWN,
): NextFires {
  const zone = timezoneIssue(timezone)
  if (zone) return { ok: false, field: 'timezone', message: zone }
  const issue = cronIssue(cron.trim(), timezone, now)
  if (issue) return { ok: false, field: 'cron', message: issue }
  const parsed = parseCron(cron.trim(), timezone)
  const times: string[] = []
  let after = now
  while (times.length < count) {
    const next = nextFireAfter(parsed, after)
    if (next === null) break
    times.push(new Date(next).toISOString())
    after = next
  }
  return { ok: true, times }
}
