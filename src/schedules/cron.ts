import { Cron } from 'croner'

/**
 * A schedule's cron in its time zone. Five fields only: the Worker ticks once a minute, so a
 * seconds field would promise what cannot be kept.
 */
export function parseCron(cron: string, timezone: string) {
  return new Cron(cron, { timezone, mode: '5-part' })
}

/** Why a time zone is not usable, or undefined when it is an IANA zone the runtime knows. */
export function timezoneIssue(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone })
    return undefined
  } catch {
    return `unknown time zone '${timezone}'; use an IANA name such as Europe/Berlin or UTC`
  }
}

/** Why a cron expression cannot be scheduled, or undefined when it fires at some future time. */
export function cronIssue(cron: string, timezone: string, now = Date.now()): string | undefined {
  try {
    if (parseCron(cron, timezone).nextRun(new Date(now)) === null) return 'the cron never fires'
    return undefined
  } catch (error) {
    // croner's messages name the bad field ("Invalid value for minute: 61").
    const detail = (error as Error).message.replace(/^CronPattern: /, '')
    return `invalid cron: ${detail}`
  }
}

/** The first fire time strictly after `after`, in epoch ms, or null when there is none. */
export function nextFireAfter(cron: Cron, after: number): number | null {
  return cron.nextRun(new Date(after))?.getTime() ?? null
}
