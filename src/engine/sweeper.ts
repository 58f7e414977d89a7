import { numberVar, type Env } from '../env'
import type { RunsQueue } from './run-workflow'

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
  const { results } = await env.DB.prepare(
    `SELECT id, sweeps, wake_at FROM runs
     WHERE finished_at IS NULL AND status IN ('queued', 'running') AND wake_at < ?1
       AND (lease_until IS NULL OR lease_until < ?2)
     ORDER BY wake_at LIMIT ?3`,
  )
    .bind(threshold, now, SWEEP_BATCH)
    .all<{ id: string; sweeps: number; wake_at: number }>()

  if (results.length === 0) return { requeued: 0, failed: 0 }
  const stuckError = (sweeps: number) =>
    JSON.stringify({
      message: `The run made no progress after ${sweeps} re-enqueues by the sweeper`,
      code: 'STUCK',
    })
  // Each update is conditional on what was just read, so a run that moved on is left alone.
  const updates = results.map((run) =>
    run.sweeps >= maxSweeps
      ? env.DB.prepare(
          `UPDATE runs SET status = 'failed', error = ?3, finished_at = ?4, lease_id = NULL, lease_until = NULL
           WHERE id = ?1 AND wake_at = ?2 AND status IN ('queued', 'running')
             AND (lease_until IS NULL OR lease_until < ?4) RETURNING status`,
        ).bind(run.id, run.wake_at, stuckError(run.sweeps), now)
      : env.DB.prepare(
          `UPDATE runs SET sweeps = sweeps + 1, wake_at = ?3
           WHERE id = ?1 AND wake_at = ?2 AND status IN ('queued', 'running')
             AND (lease_until IS NULL OR lease_until < ?3) RETURNING status`,
        ).bind(run.id, run.wake_at, now),
  )
  const outcomes = await env.DB.batch<{ status: string }>(updates)
  const toRequeue: string[] = []
  let failed = 0
  outcomes.forEach((outcome, i) => {
    const status = outcome.results[0]?.status
    if (status === 'failed') failed += 1
    else if (status) toRequeue.push(results[i]!.id)
  })
  for (let i = 0; i < toRequeue.length; i += SEND_BATCH) {
    const chunk = toRequeue
      .slice(i, i + SEND_BATCH)
      .map((runId) => ({ body: { v: 1 as const, runId } }))
    await env.RUNS.sendBatch(chunk)
  }
  const requeued = toRequeue.length
  if (results.length) console.log(JSON.stringify({ event: 'sweep', requeued, failed }))
  return { requeued, failed }
}
