import type { RunRow } from './run-row'
import { decodePayload } from './payloads'

export type RunOutcome =
  | {
      kind: 'responded'
      response: { status: number; headers: Record<string, string>; body: unknown }
    }
  | { kind: 'finished'; status: string; output: unknown; error: unknown }

const FINISHED = new Set(['succeeded', 'failed', 'completed_with_errors'])

/**
 * Where a run stands for a caller waiting on it: the response its first succeeded step of a node
 * that answers (`answering`: the types whose definition says `answers`) set, else its end, else
 * undefined (not there yet). One D1 read.
 */
export async function readRunOutcome(db: D1Database, runId: string, answering: readonly string[]) {
  const row = await db
    .prepare(
      `SELECT r.status, r.output, r.error,
         (SELECT s.output FROM steps s
          WHERE s.run_id = r.id AND s.status = 'succeeded'
            AND s.node_type IN (SELECT value FROM json_each(?2))
          ORDER BY s.step_index LIMIT 1) AS responded
       FROM runs r WHERE r.id = ?1`,
    )
    .bind(runId, JSON.stringify(answering))
    .first<Pick<RunRow, 'status' | 'output' | 'error'> & { responded: string | null }>()
  if (!row) return undefined
  if (row.responded !== null) {
    const response = (await decodePayload(db, row.responded)) as Extract<
      RunOutcome,
      { kind: 'responded' }
    >['response']
    return { kind: 'responded', response } satisfies RunOutcome
  }
  if (!FINISHED.has(row.status)) return undefined
  return {
    kind: 'finished',
    status: row.status,
    output: await decodePayload(db, row.output),
    error: row.error === null ? null : JSON.parse(row.error),
  } satisfies RunOutcome
}

/** A run's status, or undefined before its row is written (it is then still queued). */
export async function readRunStatus(db: D1Database, runId: string) {
  const row = await db
    .prepare('SELECT status FROM runs WHERE id = ?')
    .bind(runId)
    .first<{ status: string }>()
  return row?.status
}
