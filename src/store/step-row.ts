import type { ErrorInfo } from '../errors'

export type StepStatus = 'succeeded' | 'failed' | 'skipped'

/** One step of a run as D1 keeps it; input and output are column texts (inline JSON or a blob reference). */
export type StepRow = {
  index: number
  nodeId: string
  nodeType: string
  nodeName: string | null
  status: StepStatus
  inputText: string | null
  outputText: string | null
  error: ErrorInfo | null
  attempts: number
  startedAt: number | null
  finishedAt: number | null
  /** The config the node ran with, templates filled in (null when it had none to fill). */
  configText?: string | null
  /** A step a resumed run copied instead of calling its node: the run whose node ran. */
  reusedFrom?: string | null
}

/**
 * The step row, written only while this consumer still holds the run's lease, and never over a
 * row already there: a stale consumer cannot record a step, and no step is recorded twice.
 */
export function insertStep(
  db: D1Database,
  runId: string,
  leaseId: string,
  step: StepRow,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO steps (run_id, step_index, node_id, node_type, node_name, status, input, output,
           error, attempts, started_at, finished_at, duration_ms, config)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?15
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
      stepDurationMs(step),
      leaseId,
      step.configText ?? null,
    )
}

/** A run's steps in order, read back as StepRow (the error column still JSON text). */
export function selectSteps(db: D1Database, runId: string) {
  return db
    .prepare(
      `SELECT step_index AS "index", node_id AS nodeId, node_type AS nodeType,
         node_name AS nodeName, status, input AS inputText, output AS outputText, error,
         attempts, started_at AS startedAt, finished_at AS finishedAt, config AS configText,
         reused_from AS reusedFrom
       FROM steps WHERE run_id = ? ORDER BY step_index`,
    )
    .bind(runId)
}

/** A row from selectSteps as a StepRow. */
export function toStepRow(row: Record<string, unknown>): StepRow {
  const error = row.error as string | null
  return { ...(row as StepRow), error: error === null ? null : JSON.parse(error) }
}

export const stepDurationMs = (step: StepRow) =>
  step.startedAt !== null && step.finishedAt !== null ? step.finishedAt - step.startedAt : null
