/** Failed polls in a row before the streak is put in the inbox (once), as a failed run. */
export const FAILURES_BEFORE_INBOX = 3

/** The longest a failing source waits between polls, unless its own interval is longer. */
const MAX_BACKOFF_MS = 3_600_000

/**
 * When a source that failed `failures` times in a row is polled again: its interval doubled per
 * failure, at most an hour (or its interval), and never sooner than the app asked (Retry-After).
 */
export function nextPollAfterFailure(
  everyMs: number,
  failures: number,
  now: number,
  retryAfterMs = 0,
) {
  const doubled = everyMs * 2 ** Math.min(failures, 20)
  return now + Math.max(Math.min(doubled, Math.max(everyMs, MAX_BACKOFF_MS)), retryAfterMs)
}
