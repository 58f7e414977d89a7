import type { PendingRetry, RunMessage, RunOrigin } from './run-model'
import type { Waiting } from './run-model'

// Every write to a run's row, and the condition that says who may make it, live here: the
// lease protocol is only as sound as its least careful copy.

/**
 * A run that may still make progress and that no live consumer holds: what a claim takes, and
 * what the sweeper and the dead-letter consumer may fail or re-enqueue. `now` is a SQL
 * parameter. Qualified by table, so it also reads right inside an upsert.
 */
const claimable = (now: string) =>
  `runs.status IN ('queued', 'running') AND (runs.lease_until IS NULL OR runs.lease_until < ${now})`

export const isUnfinished = (status: string) => status === 'queued' || status === 'running'

/** What creating a run needs: the ingest path, the consumer and the dead-letter queue have it. */
export type NewRun = {
  id: string
  workflowId: string
  workflowVersion: number
  /** JSON text of the trigger. */
  triggerText: string
  /** JSON text of the input, or a blob reference. */
  inputText: string
  createdAt: number
  /** The run this one replays or resumes. */
  origin?: RunOrigin
}

export function newRunOf(runId: string, start: NonNullable<RunMessage['start']>): NewRun {
  return {
    id: runId,
    workflowId: start.workflowId,
    workflowVersion: start.workflowVersion,
    triggerText: JSON.stringify(start.trigger),
    inputText: start.input,
    createdAt: start.createdAt,
    ...(start.origin ? { origin: start.origin } : {}),
  }
}

const INSERT_COLUMNS = `INSERT INTO runs (id, workflow_id, workflow_version, trigger, input, created_at,
  replay_of, resumed_from, status, error, started_at, finished_at, lease_id, lease_until, wake_at)`

/** The replay_of and resumed_from columns of a new run. */
function originColumns(run: NewRun): [string | null, string | null] {
  const origin = run.origin
  if (!origin) return [null, null]
  return 'replayOf' in origin ? [origin.replayOf, null] : [null, origin.resumedFrom]
}

/**
 * Records a run that is not running: `queued` as the ingest path accepts it, or `failed` when
 * the dead-letter queue learns of it first. OR IGNORE: whoever wrote the row first knew more.
 */
export function insertRun(
  db: D1Database,
  run: NewRun,
  state: { status: 'queued' } | { status: 'failed'; errorText: string; finishedAt: number },
) {
  const failed = state.status === 'failed'
  return db
    .prepare(
      `${INSERT_COLUMNS.replace('INSERT', 'INSERT OR IGNORE')}
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?11, ?12, ?7, ?8, NULL, ?9, NULL, NULL, ?10)`,
    )
    .bind(
      run.id,
      run.workflowId,
      run.workflowVersion,
      run.triggerText,
      run.inputText,
      run.createdAt,
      state.status,
      failed ? state.errorText : null,
      failed ? state.finishedAt : null,
      failed ? state.finishedAt : run.createdAt,
      ...originColumns(run),
    )
}

export type ClaimedRow = {
  workflow_id: string
  workflow_version: number
  input: string | null
  pending_retry: string | null
  waiting: string | null
}

/**
 * The atomic claim: takes the run for one consumer when nobody holds a live lease, creating it
 * when the ingest path's write has not landed yet (`start`). Of two deliveries of the same
 * message only one gets a row back.
 */
export function claimRunRow(
  db: D1Database,
  runId: string,
  start: NewRun | undefined,
  lease: { leaseId: string; until: number },
  now: number,
): D1PreparedStatement {
  // wake_at is left as it is: the sweeper also checks the lease, and not moving wake_at here
  // saves an index write per run.
  const returning = 'RETURNING workflow_id, workflow_version, input, pending_retry, waiting'
  if (!start) {
    return db
      .prepare(
        `UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?2),
           lease_id = ?3, lease_until = ?4
         WHERE id = ?1 AND ${claimable('?2')} ${returning}`,
      )
      .bind(runId, now, lease.leaseId, lease.until)
  }
  return db
    .prepare(
      `${INSERT_COLUMNS}
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?10, ?11, 'running', NULL, ?7, NULL, ?8, ?9, ?9)
       ON CONFLICT (id) DO UPDATE SET status = 'running',
         started_at = coalesce(runs.started_at, excluded.started_at),
         lease_id = excluded.lease_id, lease_until = excluded.lease_until
       WHERE ${claimable('?7')} ${returning}`,
    )
    .bind(
      start.id,
      start.workflowId,
      start.workflowVersion,
      start.triggerText,
      start.inputText,
      start.createdAt,
      now,
      lease.leaseId,
      lease.until,
      ...originColumns(start),
    )
}

/** How a run ends: its final status, its output (column text) and error. */
export type RunEnding = { status: string; outputText: string | null; error: unknown }

/** The consumer holding the lease; a statement of a consumer that lost it changes nothing. */
export type RunLease = { runId: string; leaseId: string }

const END = `status = ?3, output = ?4, error = ?5, finished_at = ?6,
  lease_id = NULL, lease_until = NULL, pending_retry = NULL, waiting = NULL`

const errorText = (error: unknown) => (error === null ? null : JSON.stringify(error))

/** Ends the run for the consumer that holds it. */
export function finishRun(db: D1Database, lease: RunLease, end: RunEnding, now: number) {
  return db
    .prepare(`UPDATE runs SET ${END} WHERE id = ?1 AND lease_id = ?2`)
    .bind(lease.runId, lease.leaseId, end.status, end.outputText, errorText(end.error), now)
}

/**
 * Fails a run nobody is working on (the sweeper gave up, its message was dead-lettered). With
 * `wakeAt`, only if the run has not moved since it was read. A run a live consumer holds is
 * making progress and is left alone.
 */
export function failIdleRun(
  db: D1Database,
  runId: string,
  error: unknown,
  now: number,
  wakeAt?: number,
) {
  return db
    .prepare(
      `UPDATE runs SET ${END}
       WHERE id = ?1 AND (?2 IS NULL OR wake_at = ?2) AND ${claimable('?6')} RETURNING status`,
    )
    .bind(runId, wakeAt ?? null, 'failed', null, errorText(error), now)
}

/** Lets go of the run until `wakeAt`, when a queued message (or the sweeper) picks it up. */
export function releaseRun(
  db: D1Database,
  lease: RunLease,
  wakeAt: number,
  pendingRetry: PendingRetry | null,
  waiting: Waiting | null = null,
) {
  return db
    .prepare(
      `UPDATE runs SET lease_id = NULL, lease_until = NULL, wake_at = ?3, pending_retry = ?4,
         waiting = ?5
       WHERE id = ?1 AND lease_id = ?2`,
    )
    .bind(
      lease.runId,
      lease.leaseId,
      wakeAt,
      pendingRetry && JSON.stringify(pendingRetry),
      waiting && JSON.stringify(waiting),
    )
}

export function renewLease(db: D1Database, lease: RunLease, until: number) {
  return db
    .prepare('UPDATE runs SET lease_until = ?3 WHERE id = ?1 AND lease_id = ?2')
    .bind(lease.runId, lease.leaseId, until)
}

/** Idle runs that should have been picked up before `dueBefore`, oldest first. */
export async function selectStuckRuns(
  db: D1Database,
  dueBefore: number,
  now: number,
  limit: number,
) {
  const { results } = await db
    .prepare(
      `SELECT id, sweeps, wake_at FROM runs
       WHERE finished_at IS NULL AND wake_at < ?1 AND ${claimable('?2')}
       ORDER BY wake_at LIMIT ?3`,
    )
    .bind(dueBefore, now, limit)
    .all<{ id: string; sweeps: number; wake_at: number }>()
  return results
}

/** Counts a sweeper re-enqueue, only if the run has not moved since it was read. */
export function countSweep(db: D1Database, runId: string, wakeAt: number, now: number) {
  return db
    .prepare(
      `UPDATE runs SET sweeps = sweeps + 1, wake_at = ?3
       WHERE id = ?1 AND wake_at = ?2 AND ${claimable('?3')} RETURNING status`,
    )
    .bind(runId, wakeAt, now)
}

/** The wait of a step that has ended, once its step is recorded. */
export function clearWaiting(db: D1Database, lease: RunLease) {
  return db
    .prepare('UPDATE runs SET waiting = NULL WHERE id = ?1 AND lease_id = ?2')
    .bind(lease.runId, lease.leaseId)
}

/**
 * Hands an outside call's value to a run waiting for one with this key, and wakes it now. Only
 * while no consumer holds the run, before the wait's timeout, and only once: no row back means
 * it was not delivered.
 */
export function deliverToWaitingRun(
  db: D1Database,
  runId: string,
  callKey: string,
  deliveredText: string,
  now: number,
) {
  return db
    .prepare(
      `UPDATE runs SET waiting = json_set(waiting, '$.deliveredText', ?3), wake_at = ?4
       WHERE id = ?1 AND json_extract(waiting, '$.callKey') = ?2
         AND json_extract(waiting, '$.deliveredText') IS NULL
         AND json_extract(waiting, '$.until') > ?4 AND ${claimable('?4')}
       RETURNING id`,
    )
    .bind(runId, callKey, deliveredText, now)
}

/** Undoes the ingest path's record of a run that could not be queued after all. */
export function deleteQueuedRun(db: D1Database, runId: string) {
  return db.prepare("DELETE FROM runs WHERE id = ? AND status = 'queued'").bind(runId)
}
