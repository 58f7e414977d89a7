import type { WorkflowDefinition } from '../workflow/definition'
import type { RunMessage } from './messages'

/** How long a consumer owns a run before another delivery may take it over. */
export const LEASE_MS = 120_000

export type PendingRetry = { index: number; attempts: number }

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
  leaseId: string
  leaseUntil: number
}

export type Claim =
  | ClaimedRun
  | { kind: 'finished'; status: string }
  | { kind: 'leased'; until: number }
  | { kind: 'missing' }
  | { kind: 'definition-missing'; workflowId: string; workflowVersion: number; leaseId: string }

type ClaimRow = {
  workflow_id: string
  workflow_version: number
  input: string | null
  pending_retry: string | null
}

/**
 * Takes the run for this consumer in one D1 round trip: creates it if the ingest path's write
 * has not landed yet, or takes it over when nobody holds a live lease, and reads what the
 * engine needs to resume. The conditional write is the atomic claim: of two deliveries of the
 * same message, only one gets a row back.
 */
export async function claimRun(
  db: D1Database,
  message: RunMessage,
  leaseId: string,
  now: number,
): Promise<Claim> {
  const leaseUntil = now + LEASE_MS
  // wake_at is left as it is: the sweeper also checks the lease, and not moving wake_at here
  // saves an index write per run.
  const take = message.start
    ? db
        .prepare(
          `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, input, created_at,
             started_at, lease_id, lease_until, wake_at)
           VALUES (?1, ?2, ?3, 'running', ?4, ?5, ?6, ?7, ?8, ?9, ?9)
           ON CONFLICT (id) DO UPDATE SET status = 'running',
             started_at = coalesce(runs.started_at, excluded.started_at),
             lease_id = excluded.lease_id, lease_until = excluded.lease_until
           WHERE runs.status IN ('queued', 'running') AND (runs.lease_until IS NULL OR runs.lease_until < ?7)
           RETURNING workflow_id, workflow_version, input, pending_retry`,
        )
        .bind(
          message.runId,
          message.start.workflowId,
          message.start.workflowVersion,
          JSON.stringify(message.start.trigger),
          message.start.input,
          message.start.createdAt,
          now,
          leaseId,
          leaseUntil,
        )
    : db
        .prepare(
          `UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?2),
             lease_id = ?3, lease_until = ?4
           WHERE id = ?1 AND status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < ?2)
           RETURNING workflow_id, workflow_version, input, pending_retry`,
        )
        .bind(message.runId, now, leaseId, leaseUntil)

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
      .prepare('SELECT step_index, status FROM steps WHERE run_id = ? ORDER BY step_index')
      .bind(message.runId),
    db
      .prepare(
        `SELECT output FROM steps WHERE run_id = ? AND status = 'succeeded'
         ORDER BY step_index DESC LIMIT 1`,
      )
      .bind(message.runId),
  ])

  const row = (taken!.results as ClaimRow[])[0]
  if (!row) {
    const current = (state!.results as { status: string; lease_until: number | null }[])[0]
    if (!current) return { kind: 'missing' }
    if (current.status === 'queued' || current.status === 'running') {
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
    leaseId,
    leaseUntil,
  }
}
