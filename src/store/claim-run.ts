import type { WorkflowDefinition } from '../workflow/definition'
import { claimRunRow, isUnfinished, type ClaimedRow, type RunRow } from './run-row'
import type { PendingRetry, RunMessage, Waiting } from './run-model'

export type ClaimedRun = {
  kind: 'claimed'
  runId: string
  workflowId: string
  workflowVersion: number
  inputText: string | null
  definition: WorkflowDefinition
  /** Status of each recorded step, by index. */
  stepStatuses: string[]
  /** The output column of the last succeeded step, when there is one. */
  lastOutputText: string | null
  pendingRetry: PendingRetry | null
  /** A step that paused the run, and what for (see run-model.ts). */
  waiting: Waiting | null
  leaseId: string
  leaseUntil: number
}

export type Claim =
  | ClaimedRun
  | { kind: 'finished'; status: string }
  | { kind: 'leased'; until: number }
  | { kind: 'missing' }
  | { kind: 'definition-missing'; workflowId: string; workflowVersion: number; leaseId: string }

/**
 * Takes the run for this consumer in one D1 round trip (see claimRunRow) and reads what the
 * engine needs to resume.
 */
export async function claimRun(
  db: D1Database,
  message: RunMessage,
  lease: { leaseId: string; until: number },
  now: number,
): Promise<Claim> {
  const { leaseId, until: leaseUntil } = lease
  const take = claimRunRow(db, message.runId, message.start, lease, now)

  const [taken, state, definition, statuses, lastOutput] = await db.batch([
    take,
    db.prepare('SELECT status, lease_until FROM runs WHERE id = ?').bind(message.runId),
    db
      .prepare(
        `SELECT v.definition FROM workflow_versions v JOIN runs r
           ON v.workflow_id = r.workflow_id AND v.version = r.workflow_version WHERE r.id = ?`,
      )
      .bind(message.runId),
    db
      // A forEach that went on past failed elements succeeded with an error: it counts as a
      // failure of the run (completed_with_errors) after a resume too.
      .prepare(
        `SELECT step_index, CASE WHEN status = 'succeeded' AND error IS NOT NULL THEN 'failed'
           ELSE status END AS status FROM steps WHERE run_id = ? ORDER BY step_index`,
      )
      .bind(message.runId),
    db
      .prepare(
        `SELECT output FROM steps WHERE run_id = ? AND status = 'succeeded'
         ORDER BY step_index DESC LIMIT 1`,
      )
      .bind(message.runId),
  ])

  const row = (taken!.results as ClaimedRow[])[0]
  if (!row) {
    const current = (state!.results as Pick<RunRow, 'status' | 'lease_until'>[])[0]
    if (!current) return { kind: 'missing' }
    if (isUnfinished(current.status)) {
      return { kind: 'leased', until: current.lease_until ?? now }
    }
    return { kind: 'finished', status: current.status }
  }
  const definitionRow = (definition!.results as { definition: string }[])[0]
  if (!definitionRow) {
    return {
      kind: 'definition-missing',
      workflowId: row.workflow_id,
      workflowVersion: row.workflow_version,
      leaseId,
    }
  }
  const stepStatuses: string[] = []
  for (const s of statuses!.results as { step_index: number; status: string }[])
    stepStatuses[s.step_index] = s.status
  return {
    kind: 'claimed',
    runId: message.runId,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    inputText: row.input,
    definition: JSON.parse(definitionRow.definition),
    stepStatuses,
    lastOutputText: (lastOutput!.results as { output: string | null }[])[0]?.output ?? null,
    pendingRetry: row.pending_retry ? JSON.parse(row.pending_retry) : null,
    waiting: row.waiting ? JSON.parse(row.waiting) : null,
    leaseId,
    leaseUntil,
  }
}
