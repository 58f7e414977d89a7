import { numberVar, type Env } from '../env'
import { logEvent } from '../lib/log-event'
import { selectStuckRuns, settleStuckRuns } from '../store/run-row'
import { resumeMessage, type RunsQueue } from './messages'

const SWEEP_BATCH = 500
/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100

/**
 * No run stays queued or running forever. A run nobody has touched for SWEEP_AFTER_SECONDS past
 * the time it should have been picked up (its message lost, its consumer dead) is put back on
 * the queue; after SWEEP_MAX_ATTEMPTS such tries it is failed with the reason.
 */
export async function sweepStuckRuns(
  env: Pick<Env, 'DB' | 'SWEEP_AFTER_SECONDS' | 'SWEEP_MAX_ATTEMPTS'> & { RUNS: RunsQueue },
  now = Date.now(),
) {
  const threshold = now - numberVar(env.SWEEP_AFTER_SECONDS, 300) * 1000
  const maxSweeps = numberVar(env.SWEEP_MAX_ATTEMPTS, 3)
  const stuck = await selectStuckRuns(env.DB, threshold, now, SWEEP_BATCH)
  if (stuck.length === 0) return { requeued: 0, failed: 0 }

  // Each update is conditional on what was just read, so a run that moved on is left alone.
  const verdicts = stuck.map((run) =>
    run.sweeps >= maxSweeps ? { run, fail: stuckError(run.sweeps) } : { run },
  )
  const statuses = await settleStuckRuns(env.DB, verdicts, now)
  const toRequeue: string[] = []
  let failed = 0
  statuses.forEach((status, i) => {
    if (status === 'failed') failed += 1
    else if (status) toRequeue.push(stuck[i]!.id)
  })
  for (let i = 0; i < toRequeue.length; i += SEND_BATCH) {
    const chunk = toRequeue
      .slice(i, i + SEND_BATCH)
      .map((runId) => ({ body: resumeMessage(runId) }))
    await env.RUNS.sendBatch(chunk)
  }
  const requeued = toRequeue.length
  logEvent('info', 'sweep', { requeued, failed })
  return { requeued, failed }
}

function stuckError(sweeps: number) {
  return {
    message: `The run made no progress after ${sweeps} re-enqueues by the sweeper`,
    code: 'STUCK',
  }
}
