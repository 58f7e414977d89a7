import { eq, sql } from 'drizzle-orm'
import { pollState, workflows } from '../db/schema'
import { everyMs } from '../workflow/poll-every'
import type { WorkflowDefinition } from '../workflow/definition'
import type { Database } from './db'
import type { InsertGuard } from './run-row'

// Every write to poll_state (migration 0015). A poll reads the row, asks its source what is new,
// and then records the cursor with the runs it starts in one batch, claimed on `seq`: a poll that
// lost (another poll, an edit, a reset got there first) writes nothing.

/** What a trigger's cursor belongs to: when this changes, the next poll takes a new baseline. */
function triggerKey(trigger: { source: string; config: unknown; processExisting: boolean }) {
  return JSON.stringify([trigger.source, trigger.config, trigger.processExisting])
}

/**
 * The statement that brings a workflow's poll row in line with the definition being saved, in
 * the save's batch after the version write. The same source and config keep the cursor (an
 * edit of the nodes loses no item); another source or config starts again from a baseline, and
 * bumps `seq` so a poll in flight cannot record the old cursor. Disabled, deleted or not polled:
 * no row.
 */
export function syncPoll(
  db: Database,
  workflowId: string,
  definition: WorkflowDefinition | undefined,
  now: number,
) {
  const trigger = definition?.trigger
  if (!definition?.enabled || trigger?.type !== 'poll') {
    return db.delete(pollState).where(eq(pollState.workflowId, workflowId))
  }
  // Every column, in the table's order (drizzle's insert-select asks for that).
  const nothing = sql<null>`NULL`
  const row = db
    .select({
      workflowId: workflows.id,
      workflowVersion: workflows.version,
      source: sql<string>`${trigger.source}`.as('source'),
      triggerKey: sql<string>`${triggerKey(trigger)}`.as('trigger_key'),
      everyMs: sql<number>`${everyMs(trigger.every)}`.as('every_ms'),
      cursor: nothing.as('cursor'),
      skipExisting: sql<number>`0`.as('skip_existing'),
      seq: sql<number>`0`.as('seq'),
      claimId: nothing.as('claim_id'),
      // Polled at the next tick: the first poll records the baseline.
      nextPollAt: sql<number>`${now}`.as('next_poll_at'),
      lastPollAt: nothing.as('last_poll_at'),
      lastFound: nothing.as('last_found'),
      lastStarted: nothing.as('last_started'),
      failures: sql<number>`0`.as('failures'),
      lastError: nothing.as('last_error'),
      failedRunId: nothing.as('failed_run_id'),
      updatedAt: sql<number>`${now}`.as('updated_at'),
    })
    .from(workflows)
    .where(eq(workflows.id, workflowId))
  const same = sql`${pollState.triggerKey} = excluded.trigger_key`
  return db
    .insert(pollState)
    .select(row)
    .onConflictDoUpdate({
      target: pollState.workflowId,
      set: {
        workflowVersion: sql`excluded.workflow_version`,
        source: sql`excluded.source`,
        everyMs: sql`excluded.every_ms`,
        cursor: sql`CASE WHEN ${same} THEN ${pollState.cursor} ELSE NULL END`,
        skipExisting: sql`CASE WHEN ${same} THEN ${pollState.skipExisting} ELSE 0 END`,
        seq: sql`${pollState.seq} + 1`,
        nextPollAt: sql`CASE WHEN ${same} THEN min(${pollState.nextPollAt}, excluded.next_poll_at + excluded.every_ms) ELSE excluded.next_poll_at END`,
        failures: sql`CASE WHEN ${same} THEN ${pollState.failures} ELSE 0 END`,
        failedRunId: sql`CASE WHEN ${same} THEN ${pollState.failedRunId} ELSE NULL END`,
        triggerKey: sql`excluded.trigger_key`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
}

export type PollRow = {
  workflow_id: string
  workflow_version: number
  source: string
  every_ms: number
  cursor: string | null
  skip_existing: number
  seq: number
  next_poll_at: number
  last_poll_at: number | null
  last_found: number | null
  last_started: number | null
  failures: number
  last_error: string | null
  failed_run_id: string | null
}

/** A poll row with the definition of the version it belongs to. */
export type DuePoll = PollRow & { definition: string }

const SELECT_DUE = `SELECT p.*, v.definition FROM poll_state p JOIN workflow_versions v
  ON v.workflow_id = p.workflow_id AND v.version = p.workflow_version`

/** Polls whose time has come, oldest first. */
export async function duePolls(d1: D1Database, now: number, limit: number) {
  const { results } = await d1
    .prepare(`${SELECT_DUE} WHERE p.next_poll_at <= ?1 ORDER BY p.next_poll_at LIMIT ?2`)
    .bind(now, limit)
    .all<DuePoll>()
  return results
}

/** A workflow's poll row, or null when it has no active poll trigger. */
export async function pollOf(d1: D1Database, workflowId: string) {
  return d1.prepare(`${SELECT_DUE} WHERE p.workflow_id = ?1`).bind(workflowId).first<DuePoll>()
}

/**
 * Takes a due poll for this tick, so that an overlapping tick does not call the app too: moves
 * its next time to `until` if nobody did. A tick that dies holding it leaves it due at `until`.
 */
export async function takePoll(d1: D1Database, due: PollRow, until: number) {
  const row = await d1
    .prepare(
      `UPDATE poll_state SET next_poll_at = ?4 WHERE workflow_id = ?1 AND seq = ?2
         AND next_poll_at = ?3 RETURNING workflow_id`,
    )
    .bind(due.workflow_id, due.seq, due.next_poll_at, until)
    .first()
  return row !== null
}

/**
 * Records a poll's cursor and counts, only if nobody recorded one since it read the row (`seq`).
 * `claim` returns a row only for the winner; `guard` holds only once it won, so the runs written
 * under it in the claim's batch exist only for the winner. A success ends a failure streak.
 */
export function claimPoll(
  d1: D1Database,
  due: PollRow,
  poll: {
    claimId: string
    cursor: unknown
    now: number
    nextPollAt: number
    found: number
    started: number
  },
): { claim: D1PreparedStatement; guard: InsertGuard } {
  const claim = d1
    .prepare(
      `UPDATE poll_state SET cursor = ?4, seq = seq + 1, claim_id = ?5, skip_existing = 0,
         next_poll_at = ?6, last_poll_at = ?7, last_found = ?8, last_started = ?9, failures = 0,
         last_error = NULL, failed_run_id = NULL, updated_at = ?7
       WHERE workflow_id = ?1 AND workflow_version = ?2 AND seq = ?3 RETURNING workflow_id`,
    )
    .bind(
      due.workflow_id,
      due.workflow_version,
      due.seq,
      JSON.stringify(poll.cursor ?? null),
      poll.claimId,
      poll.nextPollAt,
      poll.now,
      poll.found,
      poll.started,
    )
  const guard = {
    sql: 'EXISTS (SELECT 1 FROM poll_state WHERE workflow_id = ?16 AND claim_id = ?17)',
    params: [due.workflow_id, poll.claimId],
  }
  return { claim, guard }
}

/**
 * Counts a failed poll and moves its next time (the backoff), if nobody recorded a poll since it
 * read the row. Answers the failures in a row, and whether the streak is in the inbox already.
 */
export async function recordPollFailure(
  d1: D1Database,
  due: PollRow,
  failure: { now: number; nextPollAt: number; error: string },
) {
  return d1
    .prepare(
      `UPDATE poll_state SET failures = failures + 1, last_error = ?3, last_poll_at = ?4,
         next_poll_at = ?5, updated_at = ?4
       WHERE workflow_id = ?1 AND seq = ?2 RETURNING failures, failed_run_id`,
    )
    .bind(due.workflow_id, due.seq, failure.error, failure.now, failure.nextPollAt)
    .first<{ failures: number; failed_run_id: string | null }>()
}

/**
 * Names the failed run that puts a failure streak in the inbox, once: `claim` sets it only where
 * none is set yet, and the run's row is written under `guard`, which holds only for that run.
 */
export function claimPollAlert(
  d1: D1Database,
  due: PollRow,
  runId: string,
): { claim: D1PreparedStatement; guard: InsertGuard } {
  const claim = d1
    .prepare(
      `UPDATE poll_state SET failed_run_id = ?2 WHERE workflow_id = ?1 AND failed_run_id IS NULL
       RETURNING workflow_id`,
    )
    .bind(due.workflow_id, runId)
  const guard = {
    sql: 'EXISTS (SELECT 1 FROM poll_state WHERE workflow_id = ?16 AND failed_run_id = ?17)',
    params: [due.workflow_id, runId],
  }
  return { claim, guard }
}

/**
 * Starts again from now: the next poll records a new baseline and starts nothing, whatever
 * processExisting says. False when the workflow has no active poll trigger.
 */
export async function resetPollBaseline(d1: D1Database, workflowId: string, now: number) {
  const row = await d1
    .prepare(
      `UPDATE poll_state SET cursor = NULL, skip_existing = 1, seq = seq + 1, next_poll_at = ?2,
         failures = 0, last_error = NULL, failed_run_id = NULL, updated_at = ?2
       WHERE workflow_id = ?1 RETURNING workflow_id`,
    )
    .bind(workflowId, now)
    .first()
  return row !== null
}
