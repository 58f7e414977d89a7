import { uuidv7 } from '../lib/ids'
import { REF_PREFIX } from './payloads'

// A resumed run starts with copies of the steps before the old run's first failed one, so the
// Engine picks it up after them as it picks up a run after a crash: their nodes are not called,
// and `steps.X` reads their outputs back from D1. Retention (prune-runs.ts) deletes a run's
// blobs with the run, so a copied step never refers to the old run's blobs: each is copied.

const isRef = (column: string) => `substr(${column}, 1, ${REF_PREFIX.length}) = '${REF_PREFIX}'`
const refOf = (column: string) => `CASE WHEN ${isRef(column)} THEN ${column} END`

/** The blob references held by a run's steps before `before` (input, output and config). */
export async function selectStepBlobRefs(db: D1Database, runId: string, before: number) {
  const { results } = await db
    .prepare(
      `SELECT ${refOf('input')} AS input, ${refOf('output')} AS output, ${refOf('config')} AS config
       FROM steps WHERE run_id = ?1 AND step_index < ?2
         AND (${isRef('input')} OR ${isRef('output')} OR ${isRef('config')})`,
    )
    .bind(runId, before)
    .all<{ input: string | null; output: string | null; config: string | null }>()
  const refs = new Set<string>()
  for (const row of results)
    for (const ref of [row.input, row.output, row.config]) if (ref) refs.add(ref)
  return [...refs]
}

// Written after the new run's row, in its batch: a resume whose claim lost (claimResume) has no
// row, and then no copy is written either.
const toExists = (param: string) => `EXISTS (SELECT 1 FROM runs WHERE id = ${param})`

export type ReusedSteps = { write: D1PreparedStatement[]; undo: D1PreparedStatement[] }

/**
 * The statements that copy steps 0 … before-1 of `from` into `to`, each marked with the run whose
 * node actually ran (an already reused step keeps its origin), and each blob they refer to into
 * a new blob of `to`. Call once the new run's id exists: the new blob ids are made after it, as
 * retention's orphan check expects. `undo` removes it all when the run cannot be queued.
 */
export function reuseSteps(
  db: D1Database,
  from: { runId: string; blobRefs: string[] },
  to: string,
  before: number,
  now: number,
): ReusedSteps {
  const renamed: Record<string, string> = {}
  const write: D1PreparedStatement[] = []
  for (const ref of from.blobRefs) {
    const id = uuidv7(now)
    renamed[ref] = REF_PREFIX + id
    write.push(
      db
        .prepare(
          `INSERT INTO blobs (id, seq, data, created_at) SELECT ?1, seq, data, ?3 FROM blobs
           WHERE id = ?2 AND ${toExists('?4')}`,
        )
        .bind(id, ref.slice(REF_PREFIX.length), now, to),
    )
  }
  // One statement for every step: a column holding a blob reference gets the copy's, looked up
  // in the bound JSON map (a reference is `blob:` and a UUID, safe inside a quoted JSON path).
  const swap = (column: string) =>
    `CASE WHEN ${isRef(column)} THEN json_extract(?4, '$."' || ${column} || '"') ELSE ${column} END`
  write.push(
    db
      .prepare(
        `INSERT INTO steps (run_id, step_index, node_id, node_type, node_name, status, input, output,
           error, attempts, started_at, finished_at, duration_ms, config, reused_from)
         SELECT ?1, step_index, node_id, node_type, node_name, status, ${swap('input')},
           ${swap('output')}, error, attempts, started_at, finished_at, duration_ms,
           ${swap('config')}, coalesce(reused_from, ?2)
         FROM steps WHERE run_id = ?2 AND step_index < ?3 AND ${toExists('?1')}`,
      )
      .bind(to, from.runId, before, JSON.stringify(renamed)),
  )
  const newIds = Object.values(renamed).map((ref) => ref.slice(REF_PREFIX.length))
  const undo = [db.prepare('DELETE FROM steps WHERE run_id = ?').bind(to)]
  if (newIds.length)
    undo.push(
      db
        .prepare(`DELETE FROM blobs WHERE id IN (SELECT value FROM json_each(?))`)
        .bind(JSON.stringify(newIds)),
    )
  return { write, undo }
}
