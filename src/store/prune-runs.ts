import { numberVar, type Env } from '../env'
import { uuidv7Floor } from '../lib/uuidv7-time'
import { logEvent } from '../lib/log-event'
import { REF_PREFIX } from './payloads'

export const DAY_MS = 24 * 3600_000
export const DEFAULT_RETENTION_DAYS = 30
/** Orphan blobs are only looked for this long after they were written, whatever RETENTION_DAYS says. */
const ORPHAN_MIN_AGE_MS = 7 * DAY_MS

/**
 * Small on purpose: D1 binds at most 100 parameters per statement and each round is one
 * transaction; a few rounds per cron tick (every minute) prune ~180,000 runs a day.
 */
export const PRUNE_LIMITS = { runsPerRound: 25, rounds: 5, orphansPerRound: 50 }
const IDS_PER_STATEMENT = 90

export function retentionDays(env: Pick<Env, 'RETENTION_DAYS'>) {
  return numberVar(env.RETENTION_DAYS, DEFAULT_RETENTION_DAYS)
}

/**
 * Deletes runs that finished more than RETENTION_DAYS ago (and were created before that), with
 * their steps and payload blobs, then blobs nothing refers to (a queue send that failed after its
 * payload was stored, a step whose consumer lost its lease). An unfinished run is never touched:
 * every delete requires `finished_at`. RETENTION_DAYS = 0 keeps everything.
 *
 * Relies on one invariant: a blob is referenced only by the run (or its steps) that wrote it, at
 * or after that run was created. Code that copies a blob reference into another run must copy the
 * blob instead.
 */
export async function pruneRuns(
  env: Pick<Env, 'DB' | 'RETENTION_DAYS'>,
  now = Date.now(),
  limits = PRUNE_LIMITS,
) {
  const days = retentionDays(env)
  if (!(days > 0)) return { runs: 0, blobs: 0, orphans: 0 }
  const cutoff = now - days * DAY_MS
  let runs = 0
  let blobs = 0
  let caughtUp = false
  for (let round = 0; round < limits.rounds && !caughtUp; round++) {
    const pruned = await pruneRound(env.DB, cutoff, limits.runsPerRound)
    runs += pruned.runs
    blobs += pruned.blobs
    caughtUp = pruned.runs < limits.runsPerRound
  }
  // Telling an orphan from a blob of a long-lived run is cheap only once the old finished runs are
  // gone: the runs left before the cutoff are then the few still waiting or running.
  const orphans = caughtUp
    ? await pruneOrphanBlobs(env.DB, Math.min(cutoff, now - ORPHAN_MIN_AGE_MS), limits)
    : 0
  if (runs || orphans) logEvent('info', 'prune', { runs, blobs, orphans })
  return { runs, blobs, orphans }
}

async function pruneRound(db: D1Database, cutoff: number, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT id, ${blobRef('input')} AS input, ${blobRef('output')} AS output FROM runs
       WHERE id < ?1 AND finished_at IS NOT NULL AND finished_at < ?2 ORDER BY id LIMIT ?3`,
    )
    .bind(uuidv7Floor(cutoff), cutoff, limit)
    .all<{ id: string; input: string | null; output: string | null }>()
  if (results.length === 0) return { runs: 0, blobs: 0 }
  const ids = results.map((r) => r.id)
  const marks = ids.map(() => '?').join(', ')
  const steps = await db
    .prepare(
      `SELECT ${blobRef('input')} AS input, ${blobRef('output')} AS output,
         ${blobRef('config')} AS config FROM steps
       WHERE run_id IN (${marks})
         AND (${isBlobRef('input')} OR ${isBlobRef('output')} OR ${isBlobRef('config')})`,
    )
    .bind(...ids)
    .all<{ input: string | null; output: string | null; config: string | null }>()
  const blobIds = blobIdsOf([...results, ...steps.results])
  const finished = `SELECT id FROM runs WHERE id IN (${marks}) AND finished_at IS NOT NULL`
  await db.batch([
    ...deleteBlobs(db, blobIds),
    db.prepare(`DELETE FROM steps WHERE run_id IN (${finished})`).bind(...ids),
    // A forEach's elements left by a run that ended mid-step (their blobs become orphans).
    db.prepare(`DELETE FROM foreach_items WHERE run_id IN (${finished})`).bind(...ids),
    db.prepare(`DELETE FROM runs WHERE id IN (${finished})`).bind(...ids),
  ])
  return { runs: ids.length, blobs: blobIds.length }
}

/**
 * Blobs written before `before` that no run created before it refers to. A blob is written by a
 * run at or after the run's creation, so older runs are the only ones that could hold it.
 */
async function pruneOrphanBlobs(db: D1Database, before: number, limits: typeof PRUNE_LIMITS) {
  const floor = uuidv7Floor(before)
  const { results } = await db
    .prepare(
      `SELECT b.id FROM blobs b WHERE b.id < ?1 AND b.seq = 0
         AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id < ?1
           AND (r.input = ?3 || b.id OR r.output = ?3 || b.id))
         AND NOT EXISTS (SELECT 1 FROM steps s WHERE s.run_id < ?1
           AND (s.input = ?3 || b.id OR s.output = ?3 || b.id OR s.config = ?3 || b.id))
         AND NOT EXISTS (SELECT 1 FROM foreach_items f WHERE f.run_id < ?1
           AND f.output = ?3 || b.id)
       ORDER BY b.id LIMIT ?2`,
    )
    .bind(floor, limits.orphansPerRound, REF_PREFIX)
    .all<{ id: string }>()
  if (results.length)
    await db.batch(
      deleteBlobs(
        db,
        results.map((r) => r.id),
      ),
    )
  return results.length
}

const isBlobRef = (column: string) => `substr(${column}, 1, ${REF_PREFIX.length}) = '${REF_PREFIX}'`
const blobRef = (column: string) => `CASE WHEN ${isBlobRef(column)} THEN ${column} END`

function blobIdsOf(
  rows: { input: string | null; output: string | null; config?: string | null }[],
) {
  const ids = new Set<string>()
  for (const row of rows)
    for (const ref of [row.input, row.output, row.config])
      if (ref) ids.add(ref.slice(REF_PREFIX.length))
  return [...ids]
}

function deleteBlobs(db: D1Database, ids: string[]) {
  const statements: D1PreparedStatement[] = []
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const chunk = ids.slice(i, i + IDS_PER_STATEMENT)
    statements.push(
      db
        .prepare(`DELETE FROM blobs WHERE id IN (${chunk.map(() => '?').join(', ')})`)
        .bind(...chunk),
    )
  }
  return statements
}
