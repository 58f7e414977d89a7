import type { ErrorInfo } from '../errors'
import { decodePayload, encodeText } from './payloads'

/** One finished element of a forEach step whose node has effects outside the run. */
export type ItemResult =
  | { status: 'succeeded'; output: unknown; attempts: number }
  | { status: 'failed'; error: ErrorInfo; attempts: number }

type Lease = { runId: string; leaseId: string }

/** Elements recorded by an earlier message, by index: they are not run again. */
export async function loadItemResults(db: D1Database, runId: string, stepIndex: number) {
  const { results } = await db
    .prepare(
      `SELECT item_index, status, output, error, attempts FROM foreach_items
       WHERE run_id = ? AND step_index = ?`,
    )
    .bind(runId, stepIndex)
    .all<{
      item_index: number
      status: string
      output: string | null
      error: string | null
      attempts: number
    }>()
  const done = new Map<number, ItemResult>()
  for (const row of results) {
    done.set(
      row.item_index,
      row.status === 'succeeded'
        ? {
            status: 'succeeded',
            output: await decodePayload(db, row.output),
            attempts: row.attempts,
          }
        : { status: 'failed', error: JSON.parse(row.error ?? '{}'), attempts: row.attempts },
    )
  }
  return done
}

/**
 * Records one element as soon as it is done, before the next starts: only while this consumer
 * holds the run's lease, so a consumer that lost the run cannot write. False when it had.
 */
export async function saveItemResult(
  db: D1Database,
  lease: Lease,
  stepIndex: number,
  itemIndex: number,
  result: ItemResult,
): Promise<boolean> {
  const encoded =
    result.status === 'succeeded'
      ? encodeText(db, JSON.stringify(result.output ?? null))
      : { text: null, statements: [] }
  const insert = db
    .prepare(
      `INSERT INTO foreach_items (run_id, step_index, item_index, status, output, error, attempts)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
       WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?1 AND lease_id = ?8)
       ON CONFLICT DO NOTHING`,
    )
    .bind(
      lease.runId,
      stepIndex,
      itemIndex,
      result.status,
      encoded.text,
      result.status === 'failed' ? JSON.stringify(result.error) : null,
      result.attempts,
      lease.leaseId,
    )
  const results = await db.batch([...encoded.statements, insert])
  return results[results.length - 1]!.meta.changes === 1
}

/** Once the step itself is recorded, with every result, its elements' rows are not needed. */
export function clearItemResults(db: D1Database, runId: string, stepIndex: number) {
  return db
    .prepare('DELETE FROM foreach_items WHERE run_id = ? AND step_index = ?')
    .bind(runId, stepIndex)
}
