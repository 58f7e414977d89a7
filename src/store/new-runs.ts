import type { RunStart } from './run-model'
import { claimDeliveryKeyUnder, ownsDeliveryKey } from './delivery-keys'
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
 * claim wins (a schedule's fire time, a resume's claim on the run it resumes, a poll's cursor):
 * each row is written under `gate.guard`, which holds only then. A run whose trigger carries a
 * dedupeKey claims it in the same batch and is written only if it owns it, so an item already
 * started (within the dedupe window) is not started again. `rows` are rows the runs must find
 * when claimed. Answers whether the claim won and which runs were written (only those may be
 * queued).
 */
export async function recordGatedRuns(
  db: D1Database,
  gate: { claim: D1PreparedStatement; guard: InsertGuard },
  runs: NewRun[],
  options: {
    state?: { status: 'queued' } | { status: 'failed'; errorText: string; finishedAt: number }
    rows?: D1PreparedStatement[]
  } = {},
): Promise<{ claimed: boolean; written: Set<string> }> {
  const state = options.state ?? QUEUED
  const statements = [gate.claim]
  const rowAt = new Map<string, number>()
  for (const run of runs) {
    const key = run.start.trigger.dedupeKey
    let guard = gate.guard
    if (key) {
      const claim = {
        workflowId: run.start.workflowId,
        key,
        runId: run.runId,
        now: run.start.createdAt,
      }
      statements.push(claimDeliveryKeyUnder(db, claim, gate.guard))
      guard = ownsDeliveryKey(gate.guard, key)
    }
    statements.push(...run.blobs)
    rowAt.set(run.runId, statements.length)
    statements.push(insertRun(db, run.runId, run.start, state, guard))
  }
  // Rows the runs must find when claimed: each is written only where its run's row was.
  statements.push(...(options.rows ?? []))
  const results = await db.batch(statements)
  const written = new Set(
    [...rowAt].filter(([, at]) => (results[at]?.meta.changes ?? 0) > 0).map(([runId]) => runId),
  )
  return { claimed: (results[0]?.results.length ?? 0) > 0, written }
}
