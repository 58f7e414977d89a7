import type { InsertGuard } from './run-row'
import { DEDUPE_WINDOW_MS } from './expire-delivery-keys'

/**
 * Atomically records a webhook's delivery id, returning the run that owns it: ours when it is
 * new or the earlier one is older than the window, the earlier run's id when this is a repeat.
 */
export async function claimDeliveryKey(
  db: D1Database,
  workflowId: string,
  key: string,
  runId: string,
  now: number,
): Promise<string> {
  const row = await db
    .prepare(
      `INSERT INTO ingest_keys (workflow_id, key, run_id, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (workflow_id, key) DO UPDATE SET
         run_id = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.run_id ELSE ingest_keys.run_id END,
         created_at = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.created_at ELSE ingest_keys.created_at END
       RETURNING run_id`,
    )
    .bind(workflowId, key, runId, now, now - DEDUPE_WINDOW_MS)
    .first<{ run_id: string }>()
  return row!.run_id
}

/** Gives the delivery id back when its run was not accepted after all, so a retry gets through. */
export function releaseDeliveryKey(db: D1Database, workflowId: string, key: string, runId: string) {
  return db
    .prepare('DELETE FROM ingest_keys WHERE workflow_id = ? AND key = ? AND run_id = ?')
    .bind(workflowId, key, runId)
}

/**
 * claimDeliveryKey as a statement for a gated batch (a poll's runs): written only where `guard`
 * holds, parameters after ?15 being the guard's. The run's row is then written under
 * `ownsDeliveryKey`, so a key another run owns starts nothing.
 */
export function claimDeliveryKeyUnder(
  db: D1Database,
  claim: { workflowId: string; key: string; runId: string; now: number },
  guard: InsertGuard,
) {
  return db
    .prepare(
      `INSERT INTO ingest_keys (workflow_id, key, run_id, created_at) SELECT ?1, ?2, ?3, ?4
       WHERE ${guard.sql}
       ON CONFLICT (workflow_id, key) DO UPDATE SET
         run_id = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.run_id ELSE ingest_keys.run_id END,
         created_at = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.created_at ELSE ingest_keys.created_at END`,
    )
    .bind(
      claim.workflowId,
      claim.key,
      claim.runId,
      claim.now,
      claim.now - DEDUPE_WINDOW_MS,
      // ?6 … ?15 are unused: the guard's parameters are numbered from ?16, as for a run's row.
      ...Array.from({ length: 10 }, () => null),
      ...guard.params,
    )
}

/** `guard`, and the run (?1 of its row) owns its workflow's (?2) delivery key `key`. */
export function ownsDeliveryKey(guard: InsertGuard, key: string): InsertGuard {
  const n = 16 + guard.params.length
  return {
    sql: `${guard.sql} AND EXISTS (SELECT 1 FROM ingest_keys WHERE workflow_id = ?2 AND key = ?${n} AND run_id = ?1)`,
    params: [...guard.params, key],
  }
}
