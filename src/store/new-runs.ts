import type { RunStart } from './run-model'
import { deleteQueuedRun, insertRun, type InsertGuard } from './run-row'

// How a new run reaches D1. Its row is made from the same RunStart its queue message carries
// (insertRun), so the message and the row cannot disagree.

/** A run about to be created: its id, how it starts, and the blob rows its input refers to. */
export type NewRun = { runId: string; start: RunStart; blobs: D1PreparedStatement[] }

const QUEUED = { status: 'queued' } as const

/**
 * Writes what a new run's message refers to (its input's blobs) and, with `record`, the run's
 * row and any rows it must find when it is claimed: one round trip, none when nothing is to write.
 */
export async function recordRun(
  db: D1Database,
  run: NewRun,
  options: { record: boolean; rows?: D1PreparedStatement[] },
) {
  const statements = [...run.blobs]
  if (options.record) {
    statements.push(insertRun(db, run.runId, run.start, QUEUED), ...(options.rows ?? []))
  }
  if (statements.length) await db.batch(statements)
}

/** The run's row alone, written once its message is queued. */
export async function recordRunLater(db: D1Database, run: NewRun) {
  await insertRun(db, run.runId, run.start, QUEUED).run()
}

/** Removes a run that could not be queued after all, with what was written for it (`also`). */
export async function undoRun(db: D1Database, runId: string, also: D1PreparedStatement[]) {
  await db.batch([deleteQueuedRun(db, runId), ...also])
}

/**
 * Runs created together, in one batch (one transaction) after `gate.claim`, and only when that
 * claim wins (a schedule's fire time, a resume's claim on the run it resumes): each row is
 * written under `gate.guard`, which holds only then. True when it won.
 */
export async function recordGatedRuns(
  db: D1Database,
  gate: { claim: D1PreparedStatement; guard: InsertGuard },
  runs: NewRun[],
  rows: D1PreparedStatement[] = [],
): Promise<boolean> {
  const statements = [gate.claim]
  for (const run of runs) {
    statements.push(...run.blobs, insertRun(db, run.runId, run.start, QUEUED, gate.guard))
  }
  // Rows the runs must find when claimed: each is written only where its run's row was.
  statements.push(...rows)
  const [claimed] = await db.batch(statements)
  return (claimed?.results.length ?? 0) > 0
}
