import type { StepStatus } from './step-row'

/** `version`: the newest saved, which is the current one while the workflow exists. */
export type WorkflowLabel = { name: string; exists: boolean; version: number }

/**
 * Names for the workflows runs belong to, deleted ones included: their versions outlive them,
 * so a past run still says what it ran. One query for a whole page of runs.
 */
export async function workflowLabels(
  db: D1Database,
  ids: readonly string[],
): Promise<Map<string, WorkflowLabel>> {
  const unique = [...new Set(ids)]
  const labels = new Map<string, WorkflowLabel>()
  if (unique.length === 0) return labels
  const { results } = await db
    .prepare(
      `SELECT v.workflow_id AS id, json_extract(v.definition, '$.name') AS name,
              v.version, w.id IS NOT NULL AS live
       FROM workflow_versions v LEFT JOIN workflows w ON w.id = v.workflow_id
       WHERE v.workflow_id IN (${unique.map(() => '?').join(', ')})
         AND v.version = (SELECT MAX(version) FROM workflow_versions WHERE workflow_id = v.workflow_id)`,
    )
    .bind(...unique)
    .all<{ id: string; name: string | null; version: number; live: number }>()
  for (const row of results)
    labels.set(row.id, { name: row.name ?? row.id, exists: row.live === 1, version: row.version })
  return labels
}

/** A step of a run as the workflow page's picture marks it: where and how it ended. */
export type StepMark = {
  index: number
  nodeId: string
  status: StepStatus
  /** Why a skipped step was skipped (its `if`, or a step before it that ended the run). */
  reason: string | null
}

/**
 * How each step of one run ended, without its payloads, and the step it is paused at (a delay,
 * a wait for a call) while it waits: what the workflow page's picture needs of its last run.
 */
export async function stepMarks(
  db: D1Database,
  runId: string,
): Promise<{ steps: StepMark[]; waitingAt: number | null }> {
  const [steps, run] = await db.batch([
    db
      .prepare(
        `SELECT step_index AS "index", node_id AS nodeId, status,
           CASE status WHEN 'skipped' THEN json_extract(error, '$.message') END AS reason
         FROM steps
         WHERE run_id = ? ORDER BY step_index`,
      )
      .bind(runId),
    db
      .prepare(`SELECT json_extract(waiting, '$.index') AS waitingAt FROM runs WHERE id = ?`)
      .bind(runId),
  ])
  const marks = steps!.results as StepMark[]
  const waitingAt = (run!.results[0] as { waitingAt: number | null } | undefined)?.waitingAt ?? null
  // A wait that ended has its row: the row says how (as getRun does).
  return {
    steps: marks,
    waitingAt: waitingAt !== null && waitingAt >= marks.length ? waitingAt : null,
  }
}
