import type { RunRow } from './run-row'

/** D1 binds at most 100 parameters; past this many ids, read every earlier output. */
const MAX_LISTED_IDS = 90

/**
 * What a step's template context needs of the run from D1, in one round trip: its trigger and
 * start time, and the output column of each succeeded step before `before`, of the nodes named
 * (or of all of them).
 */
export async function readRunContext(
  db: D1Database,
  runId: string,
  before: number,
  wanted: string[] | 'all',
) {
  const listAll = wanted === 'all' || wanted.length > MAX_LISTED_IDS
  const statements = [db.prepare('SELECT trigger, started_at FROM runs WHERE id = ?').bind(runId)]
  if (wanted === 'all' || wanted.length) {
    statements.push(
      db
        .prepare(
          `SELECT node_id, output FROM steps WHERE run_id = ? AND step_index < ?
             AND status = 'succeeded'${listAll ? '' : ` AND node_id IN (${wanted.map(() => '?').join(', ')})`}`,
        )
        .bind(runId, before, ...(listAll ? [] : wanted)),
    )
  }
  const [runRow, stepRows] = await db.batch(statements)
  const run = (runRow!.results as Pick<RunRow, 'trigger' | 'started_at'>[])[0]
  return {
    trigger: run ? (JSON.parse(run.trigger) as unknown) : null,
    startedAt: run?.started_at ?? null,
    outputs: (stepRows?.results ?? []) as { node_id: string; output: string | null }[],
  }
}
