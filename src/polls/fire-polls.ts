import { AutomateError } from '../errors'
import { logEvent } from '../lib/log-event'
import { duePolls, pollOf, takePoll } from '../store/polls'
import { pollWorkflow, type PollEnv } from './poll-workflow'

/** Polls taken per tick; the rest stay due and are taken by the next one. */
const PER_TICK = 25
/** Polls run side by side in a tick: each waits on an app, not on the CPU. */
const SIDE_BY_SIDE = 5
/**
 * A taken poll is not taken again for this long: longer than a poll may last (its source's
 * timeout), so overlapping ticks call the app once; a tick that died with it frees it then.
 */
const TAKEN_MS = 2 * 60_000

/**
 * The cron tick's half for poll triggers: every poll whose time has come is taken (so an
 * overlapping tick leaves it alone) and run. A failing one is counted and backs off in
 * pollWorkflow; it never stops the others.
 */
export async function fireDuePolls(env: PollEnv, now = Date.now()) {
  const due = await duePolls(env.DB, now, PER_TICK)
  let started = 0
  let failed = 0
  const queue = [...due]
  const worker = async () => {
    for (let poll = queue.shift(); poll; poll = queue.shift()) {
      try {
        if (!(await takePoll(env.DB, poll, now + TAKEN_MS))) continue
        started += (await pollWorkflow(env, poll, now)).started.length
      } catch (error) {
        failed += 1
        // pollWorkflow logged the source's failure; this is anything else (D1 unavailable).
        if (!(error instanceof AutomateError)) {
          logEvent('error', 'poll_tick_failed', {
            workflowId: poll.workflow_id,
            message: (error as Error).message,
          })
        }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(SIDE_BY_SIDE, due.length) }, worker))
  return { polls: due.length, started, failed }
}

/** One poll now, whatever its next time (POST /api/workflows/:id/poll). */
export async function pollNow(env: PollEnv, workflowId: string, now = Date.now()) {
  const due = await pollOf(env.DB, workflowId)
  if (!due) {
    throw new AutomateError(
      'POLL_NOT_ACTIVE',
      `Workflow ${workflowId} has no active poll trigger (its trigger is not "poll", or it is disabled)`,
      { status: 409, retryable: false },
    )
  }
  return pollWorkflow(env, due, now)
}
