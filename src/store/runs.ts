import type { PendingRetry } from './run-model'
import { describeWaiting, type Waiting } from './run-model'
import { decodePayload } from './payloads'
import { runIdFloor } from './run-ids'
import type { RunRow } from './run-row'
import { selectSteps, stepDurationMs, toStepRow } from './step-row'

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'completed_with_errors',
] as const

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const parse = (text: string | null) => (text === null ? null : JSON.parse(text))

export async function listRuns(
  db: D1Database,
  filter: {
    workflowId?: string
    status?: string
    limit: number
    cursor?: string
    /** Created at or after (epoch ms). */
    since?: number
    /** Created before (epoch ms). */
    until?: number
  },
) {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.workflowId) where.push('workflow_id = ?') && params.push(filter.workflowId)
  if (filter.status) where.push('status = ?') && params.push(filter.status)
  if (filter.cursor) where.push('id < ?') && params.push(filter.cursor)
  if (filter.since !== undefined) where.push('id >= ?') && params.push(runIdFloor(filter.since))
  if (filter.until !== undefined) where.push('id < ?') && params.push(runIdFloor(filter.until))
  const { results } = await db
    .prepare(
      `SELECT id, workflow_id, workflow_version, status, trigger, error, created_at, started_at, finished_at,
         replay_of, resumed_from
       FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    )
    .bind(...params, filter.limit + 1)
    .all<
      Pick<
        RunRow,
        | 'id'
        | 'workflow_id'
        | 'workflow_version'
        | 'status'
        | 'trigger'
        | 'error'
        | 'created_at'
        | 'started_at'
        | 'finished_at'
        | 'replay_of'
        | 'resumed_from'
      >
    >()
  const page = results.slice(0, filter.limit)
  return {
    runs: page.map((row) => ({
      id: row.id,
      workflowId: row.workflow_id,
      workflowVersion: row.workflow_version,
      status: row.status,
      trigger: parse(row.trigger),
      error: parse(row.error),
      createdAt: iso(row.created_at),
      startedAt: iso(row.started_at),
      finishedAt: iso(row.finished_at),
      replayOf: row.replay_of ?? null,
      resumedFrom: row.resumed_from ?? null,
    })),
    nextCursor: results.length > filter.limit ? page[page.length - 1]!.id : null,
  }
}

/** Runs made from one run that its record lists, oldest first; a page never lists more. */
export const MAX_COPIES_LISTED = 100

type CopyRow = Pick<RunRow, 'id' | 'status' | 'created_at'> & { kind: 'resume' | 'replay' }

export async function getRun(db: D1Database, id: string) {
  const [runResult, stepsResult, copiesResult] = await db.batch([
    db.prepare('SELECT * FROM runs WHERE id = ?').bind(id),
    selectSteps(db, id),
    // Each half reads its own partial index (migration 0014).
    db
      .prepare(
        `SELECT id, status, created_at, 'resume' AS kind FROM runs WHERE resumed_from = ?1
         UNION ALL
         SELECT id, status, created_at, 'replay' AS kind FROM runs WHERE replay_of = ?1
         ORDER BY id LIMIT ${MAX_COPIES_LISTED}`,
      )
      .bind(id),
  ])
  const row = (runResult!.results as RunRow[])[0]
  if (!row) return undefined
  const steps = await Promise.all(
    (stepsResult!.results as Record<string, unknown>[]).map(toStepRow).map(async (s) => ({
      index: s.index,
      nodeId: s.nodeId,
      nodeType: s.nodeType,
      nodeName: s.nodeName,
      status: s.status,
      input: await decodePayload(db, s.inputText),
      output: await decodePayload(db, s.outputText),
      error: s.error,
      attempts: s.attempts,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      durationMs: stepDurationMs(s),
      // The config as run, templates filled in; null when the node had none (its definition's applies).
      config: await decodePayload(db, s.configText ?? null),
      // Copied from an earlier run by a resume: its node was not called in this run.
      reusedFrom: s.reusedFrom ?? null,
    })),
  )
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    trigger: parse(row.trigger),
    input: await decodePayload(db, row.input),
    output: await decodePayload(db, row.output),
    error: parse(row.error),
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    replayOf: row.replay_of ?? null,
    resumedFrom: row.resumed_from ?? null,
    resumedBy: row.resumed_by ?? null,
    copies: (copiesResult!.results as CopyRow[]).map((copy) => ({
      id: copy.id,
      kind: copy.kind,
      status: copy.status,
      createdAt: iso(copy.created_at),
    })),
    // A node waiting for a delayed retry (no consumer holds the run) has no step yet: say
    // which, and until when.
    ...(row.pending_retry && !((row.lease_until ?? 0) > Date.now())
      ? { waitingForRetry: retryWait(row.pending_retry, row.wake_at!) }
      : {}),
    // A step that paused the run (a delay, an outside call) has no step row yet: say which,
    // what for and until when.
    ...(row.waiting && (JSON.parse(row.waiting) as Waiting).index >= steps.length
      ? { waitingFor: describeWaiting(JSON.parse(row.waiting)) }
      : {}),
    steps,
  }
}

function retryWait(pending: string, wakeAt: number) {
  const { index, attempts, error } = JSON.parse(pending) as PendingRetry
  return { stepIndex: index, attemptsSoFar: attempts, lastError: error, nextAttemptAt: iso(wakeAt) }
}
