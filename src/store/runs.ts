import { decodePayload } from './payloads'
import { runIdFloor } from './run-ids'

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'completed_with_errors',
] as const

type RunRow = {
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
  pending_retry?: string | null
  wake_at?: number
  lease_until?: number | null
}

type StepRow = {
  step_index: number
  node_id: string
  node_type: string
  node_name: string | null
  status: string
  input: string | null
  output: string | null
  error: string | null
  attempts: number
  started_at: number | null
  finished_at: number | null
  duration_ms: number | null
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
const parse = (text: string | null) => (text === null ? null : JSON.parse(text))

/** The ingest path's record of an accepted run, written after the 202 has gone out. */
export function insertQueuedRun(
  db: D1Database,
  run: {
    id: string
    workflowId: string
    workflowVersion: number
    /** JSON text, as the caller already has it for sizing the queue message. */
    triggerText: string
    input: string
    createdAt: number
  },
) {
  // OR IGNORE: the consumer may have created (and even finished) the run already.
  return db
    .prepare(
      `INSERT OR IGNORE INTO runs (id, workflow_id, workflow_version, status, trigger, input, created_at, wake_at)
       VALUES (?1, ?2, ?3, 'queued', ?4, ?5, ?6, ?6)`,
    )
    .bind(run.id, run.workflowId, run.workflowVersion, run.triggerText, run.input, run.createdAt)
}

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
      `SELECT id, workflow_id, workflow_version, status, trigger, error, created_at, started_at, finished_at
       FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    )
    .bind(...params, filter.limit + 1)
    .all<Omit<RunRow, 'input' | 'output'>>()
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
    })),
    nextCursor: results.length > filter.limit ? page[page.length - 1]!.id : null,
  }
}

export async function getRun(db: D1Database, id: string) {
  const [runResult, stepsResult] = await db.batch([
    db.prepare('SELECT * FROM runs WHERE id = ?').bind(id),
    db.prepare('SELECT * FROM steps WHERE run_id = ? ORDER BY step_index').bind(id),
  ])
  const row = (runResult!.results as RunRow[])[0]
  if (!row) return undefined
  const steps = await Promise.all(
    (stepsResult!.results as StepRow[]).map(async (s) => ({
      index: s.step_index,
      nodeId: s.node_id,
      nodeType: s.node_type,
      nodeName: s.node_name,
      status: s.status,
      input: await decodePayload(db, s.input),
      output: await decodePayload(db, s.output),
      error: parse(s.error),
      attempts: s.attempts,
      startedAt: iso(s.started_at),
      finishedAt: iso(s.finished_at),
      durationMs: s.duration_ms,
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
    // A node waiting for a delayed retry (no consumer holds the run) has no step yet: say
    // which, and until when.
    ...(row.pending_retry && !((row.lease_until ?? 0) > Date.now())
      ? { waitingForRetry: retryWait(row.pending_retry, row.wake_at!) }
      : {}),
    steps,
  }
}

function retryWait(pending: string, wakeAt: number) {
  const { index, attempts, error } = JSON.parse(pending) as {
    index: number
    attempts: number
    error: unknown
  }
  return { stepIndex: index, attemptsSoFar: attempts, lastError: error, nextAttemptAt: iso(wakeAt) }
}
