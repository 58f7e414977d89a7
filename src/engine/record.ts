import type { ErrorInfo } from '../errors'
import type { WorkflowNode } from '../workflow/definition'
import type { RunEnd } from './step-verdict'

export type RunLease = { runId: string; leaseId: string }

export type StepRow = {
  index: number
  nodeId: string
  nodeType: string
  nodeName: string | null
  status: 'succeeded' | 'failed' | 'skipped'
  inputText: string | null
  outputText: string | null
  error: ErrorInfo | null
  attempts: number
  startedAt: number | null
  finishedAt: number | null
}

/**
 * The step row, written only while this consumer still holds the run's lease, and never over a
 * row already there: a stale consumer cannot record a step, and no step is recorded twice.
 * Input and output are column texts already (inline JSON or a blob reference).
 */
export function insertStep(
  db: D1Database,
  runId: string,
  leaseId: string,
  step: StepRow,
): D1PreparedStatement {
  const duration =
    step.startedAt !== null && step.finishedAt !== null ? step.finishedAt - step.startedAt : null
  return db
    .prepare(
      `INSERT INTO steps (run_id, step_index, node_id, node_type, node_name, status, input, output,
           error, attempts, started_at, finished_at, duration_ms)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13
         WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND lease_id = ?14)
         ON CONFLICT DO NOTHING`,
    )
    .bind(
      runId,
      step.index,
      step.nodeId,
      step.nodeType,
      step.nodeName,
      step.status,
      step.inputText,
      step.outputText,
      step.error ? JSON.stringify(step.error) : null,
      step.attempts,
      step.startedAt,
      step.finishedAt,
      duration,
      leaseId,
    )
}

/** Ends the run; a no-op for a consumer that lost its lease. */
export function finishRun(
  db: D1Database,
  run: RunLease,
  end: RunEnd,
  outputText: string | null,
  now: number,
) {
  return db
    .prepare(
      `UPDATE runs SET status = ?3, output = ?4, error = ?5, finished_at = ?6,
         lease_id = NULL, lease_until = NULL, pending_retry = NULL
       WHERE id = ?1 AND lease_id = ?2`,
    )
    .bind(
      run.runId,
      run.leaseId,
      end.status,
      outputText,
      end.error === null ? null : JSON.stringify(end.error),
      now,
    )
}

/** The steps a run will not reach, recorded as skipped with the reason. */
export function skipSteps(
  db: D1Database,
  run: RunLease,
  nodes: WorkflowNode[],
  from: number,
  reason: string,
  now: number,
) {
  return nodes.slice(from).map((node, offset) =>
    insertStep(db, run.runId, run.leaseId, {
      index: from + offset,
      nodeId: node.id,
      nodeType: node.type,
      nodeName: node.name ?? null,
      status: 'skipped',
      inputText: null,
      outputText: null,
      error: { message: `skipped: ${reason}`, code: 'SKIPPED' },
      attempts: 0,
      startedAt: null,
      finishedAt: now,
    }),
  )
}

/** Lets go of the run until `wakeAt`, when a queued message (or the sweeper) picks it up. */
export function releaseRun(
  db: D1Database,
  runId: string,
  leaseId: string,
  wakeAt: number,
  pendingRetry: unknown,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE runs SET lease_id = NULL, lease_until = NULL, wake_at = ?3, pending_retry = ?4
       WHERE id = ?1 AND lease_id = ?2`,
    )
    .bind(runId, leaseId, wakeAt, pendingRetry === null ? null : JSON.stringify(pendingRetry))
}

export function renewLease(
  db: D1Database,
  runId: string,
  leaseId: string,
  until: number,
): D1PreparedStatement {
  return db
    .prepare('UPDATE runs SET lease_until = ?3 WHERE id = ?1 AND lease_id = ?2')
    .bind(runId, leaseId, until)
}
