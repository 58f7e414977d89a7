import { encodeText } from './payloads'
import { DERIVED_PREFIX, type PendingRetry, type RunStart, type Waiting } from './run-model'
import { hashToken } from '../lib/ids'

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

/**
 * A runs row as D1 returns it to raw SQL: every read of runs picks its columns from this one type.
 * Text columns hold JSON (trigger, error, pending_retry, waiting) or a payload's column text
 * (input, output: inline JSON or a blob reference).
 */
export type RunRow = {
  id: string
  workflow_id: string
  workflow_version: number
  status: string
  trigger: string
  input: string | null
  output: string | null
  error: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
  lease_id: string | null
  lease_until: number | null
  wake_at: number
  sweeps: number
  pending_retry: string | null
  waiting: string | null
  replay_of: string | null
  resumed_from: string | null
  resumed_by: string | null
  resume_key: string | null
}

/** How a new row starts: queued (ingest), failed (dead-lettered first) or running (a claim). */
type NewRowState =
  | { status: 'queued' }
  | { status: 'failed'; errorText: string; finishedAt: number }
  | { status: 'running'; leaseId: string; leaseUntil: number; now: number }

/**
 * A condition the new row must meet to be written (a schedule's claim of its fire time), in
 * SQL whose parameters are numbered from ?16: ?1 … ?15 are the row's own columns.
 */
export type InsertGuard = { sql: string; params: unknown[] }

/**
 * Every run's row is created by this one statement, from the RunStart its message carries.
 * `conflict` says what a row already there means (the ingest path and a claim race to write it).
 */
function newRunRow(
  db: D1Database,
  runId: string,
  start: RunStart,
  state: NewRowState,
  conflict: string,
  guard?: InsertGuard,
) {
  const origin = start.origin
  const failed = state.status === 'failed'
  const running = state.status === 'running'
  return db
    .prepare(
      `INSERT INTO runs (id, workflow_id, workflow_version, trigger, input, created_at, replay_of,
         resumed_from, status, error, started_at, finished_at, lease_id, lease_until, wake_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15
       WHERE ${guard?.sql ?? 'true'}
       ${conflict}`,
    )
    .bind(
      runId,
      start.workflowId,
      start.workflowVersion,
      JSON.stringify(start.trigger),
      start.input,
      start.createdAt,
      origin && 'replayOf' in origin ? origin.replayOf : null,
      origin && 'resumedFrom' in origin ? origin.resumedFrom : null,
      state.status,
      failed ? state.errorText : null,
      running ? state.now : null,
      failed ? state.finishedAt : null,
      running ? state.leaseId : null,
      running ? state.leaseUntil : null,
      // When someone should next look at it: the sweeper finds a queued run whose message was lost.
      running ? state.leaseUntil : failed ? state.finishedAt : start.createdAt,
      ...(guard?.params ?? []),
    )
}

/**
 * Records a run that is not running: `queued` as the ingest path accepts it, or `failed` when
 * the dead-letter queue learns of it first. A row already there is kept: whoever wrote it first
 * knew more. With a guard, only when the guard holds.
 */
export function insertRun(
  db: D1Database,
  runId: string,
  start: RunStart,
  state: { status: 'queued' } | { status: 'failed'; errorText: string; finishedAt: number },
  guard?: InsertGuard,
) {
  return newRunRow(db, runId, start, state, 'ON CONFLICT (id) DO NOTHING', guard)
}

export type ClaimedRow = Pick<
  RunRow,
  'workflow_id' | 'workflow_version' | 'input' | 'pending_retry' | 'waiting'
>

/**
 * The atomic claim: takes the run for one consumer when nobody holds a live lease, creating it
 * when the ingest path's write has not landed yet (`start`). Of two deliveries of the same
 * message only one gets a row back.
 */
export function claimRunRow(
  db: D1Database,
  runId: string,
  start: RunStart | undefined,
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
  const state = { status: 'running', leaseId: lease.leaseId, leaseUntil: lease.until, now } as const
  // ?11 is the new row's started_at: now.
  const conflict = `ON CONFLICT (id) DO UPDATE SET status = 'running',
         started_at = coalesce(runs.started_at, excluded.started_at),
         lease_id = excluded.lease_id, lease_until = excluded.lease_until
       WHERE ${claimable('?11')} ${returning}`
  return newRunRow(db, runId, start, state, conflict)
}

/** How a run ends: its final status, its output (column text) and error. */
export type RunEnding = { status: string; outputText: string | null; error: unknown }

/** The consumer holding the lease; a statement of a consumer that lost it changes nothing. */
export type RunLease = { runId: string; leaseId: string }

// A legacy resume key (kept in clear, before resume-key.ts) is of no use once the run ends.
const END = `status = ?3, output = ?4, error = ?5, finished_at = ?6,
  lease_id = NULL, lease_until = NULL, pending_retry = NULL, waiting = NULL,
  resume_key = CASE WHEN resume_key LIKE '${DERIVED_PREFIX}%' THEN resume_key END`

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

export type StuckRun = Pick<RunRow, 'id' | 'sweeps' | 'wake_at'>

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
    .all<StuckRun>()
  return results
}

/** Counts a sweeper re-enqueue, only if the run has not moved since it was read. */
function countSweep(db: D1Database, runId: string, wakeAt: number, now: number) {
  return db
    .prepare(
      `UPDATE runs SET sweeps = sweeps + 1, wake_at = ?3
       WHERE id = ?1 AND wake_at = ?2 AND ${claimable('?3')} RETURNING status`,
    )
    .bind(runId, wakeAt, now)
}

/**
 * Fails a run whose message was dead-lettered, creating it failed when the ingest path never got
 * to record it (so it still shows up). A run a live consumer holds is left alone.
 */
export async function failDeadLetteredRun(
  db: D1Database,
  runId: string,
  start: RunStart | undefined,
  error: unknown,
  now: number,
) {
  const statements = [failIdleRun(db, runId, error, now)]
  if (start) {
    const state = { status: 'failed', errorText: JSON.stringify(error), finishedAt: now } as const
    statements.push(insertRun(db, runId, start, state))
  }
  await db.batch(statements)
}

/**
 * The sweeper's verdicts in one batch: each run is failed with its error, or counted and put
 * back, only if it has not moved since it was read. Each run's status after, or undefined when
 * it had moved.
 */
export async function settleStuckRuns(
  db: D1Database,
  verdicts: { run: StuckRun; fail?: unknown }[],
  now: number,
): Promise<(string | undefined)[]> {
  if (verdicts.length === 0) return []
  const outcomes = await db.batch<{ status: string }>(
    verdicts.map(({ run, fail }) =>
      fail !== undefined
        ? failIdleRun(db, run.id, fail, now, run.wake_at)
        : countSweep(db, run.id, run.wake_at, now),
    ),
  )
  return outcomes.map((outcome) => outcome.results[0]?.status)
}

/** The wait of a step that has ended, once its step is recorded. */
export function clearWaiting(db: D1Database, lease: RunLease) {
  return db
    .prepare('UPDATE runs SET waiting = NULL WHERE id = ?1 AND lease_id = ?2')
    .bind(lease.runId, lease.leaseId)
}

/**
 * Hands an outside call's value to a run waiting for one with this key, and wakes it now. Only
 * while no consumer holds the run, before the wait's timeout, and only once: false when it was
 * not delivered.
 */
export async function deliverToWaitingRun(
  db: D1Database,
  runId: string,
  callKey: string,
  value: unknown,
  now: number,
): Promise<boolean> {
  const encoded = encodeText(db, JSON.stringify(value ?? null))
  // The wait keeps the key's hash; one paused before keys were hashed keeps the key itself.
  const deliver = db
    .prepare(
      `UPDATE runs SET waiting = json_set(waiting, '$.deliveredText', ?3), wake_at = ?4
       WHERE id = ?1
         AND (json_extract(waiting, '$.callKeyHash') = ?5 OR json_extract(waiting, '$.callKey') = ?2)
         AND json_extract(waiting, '$.deliveredText') IS NULL
         AND json_extract(waiting, '$.until') > ?4 AND ${claimable('?4')}
       RETURNING id`,
    )
    .bind(runId, callKey, encoded.text, now, await hashToken(callKey))
  const results = await db.batch([...encoded.statements, deliver])
  return results[encoded.statements.length]!.results.length > 0
}

/**
 * A resume's claim on the run it resumes: the one write that decides, of two resume requests
 * racing, which one makes a run. Only a run that ended badly and that nothing resumed yet;
 * returns a row when this claim won. `resumeGuard` lets the new run's row be written only then.
 */
export function claimResume(db: D1Database, runId: string, resumedBy: string) {
  return db
    .prepare(
      `UPDATE runs SET resumed_by = ?2
       WHERE id = ?1 AND resumed_by IS NULL AND status IN ('failed', 'completed_with_errors')
       RETURNING id`,
    )
    .bind(runId, resumedBy)
}

/**
 * The new run's row (?1 is its id) is written only when its claim on `resumedRunId` won, in the
 * same batch (see claimResume).
 */
export const resumeGuard = (resumedRunId: string): InsertGuard => ({
  sql: '(SELECT resumed_by FROM runs WHERE id = ?16) = ?1',
  params: [resumedRunId],
})

/** Gives the claim back when the new run could not be queued after all. */
export function releaseResume(db: D1Database, runId: string, resumedBy: string) {
  return db
    .prepare('UPDATE runs SET resumed_by = NULL WHERE id = ?1 AND resumed_by = ?2')
    .bind(runId, resumedBy)
}

/** Undoes the ingest path's record of a run that could not be queued after all. */
export function deleteQueuedRun(db: D1Database, runId: string) {
  return db.prepare("DELETE FROM runs WHERE id = ? AND status = 'queued'").bind(runId)
}
