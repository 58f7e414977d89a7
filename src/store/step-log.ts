import type { RunLease } from './run-row'
import { insertStep, type StepRow } from './step-row'

/**
 * The statements a consumer has still to send for its run, sent as one `db.batch`: one round
 * trip records the steps run since the last one (and, when the run ends, its skipped steps and
 * the run's end).
 */
export type StepLog = {
  /**
   * Queues a step row, after any statements it depends on (its output's blob chunks).
   * `replayable`: running its node again after a crash would be unnoticed and give the same
   * output (see isReplayable); such a step need not be recorded before the next effect.
   */
  addStep(row: StepRow, before?: D1PreparedStatement[], replayable?: boolean): void
  /** Whether a queued step must be recorded before a node with effects starts. */
  readonly holdsUnreplayable: boolean
  /** Queues statements that are not step rows (the run's end, its release). */
  add(statements: D1PreparedStatement[]): void
  /** Steps queued and not yet sent. */
  readonly pendingSteps: number
  /**
   * Sends everything queued in one batch. False when the first step row was not written: the
   * lease passed to another consumer (this one was too slow), which owns the run now.
   */
  flush(): Promise<boolean>
}

export function stepLog(db: D1Database, lease: RunLease): StepLog {
  let pending: D1PreparedStatement[] = []
  let firstStepAt = -1
  let steps = 0
  let unreplayable = false
  return {
    addStep(row, before = [], replayable = false) {
      unreplayable ||= !replayable
      pending.push(...before)
      if (firstStepAt < 0) firstStepAt = pending.length
      pending.push(insertStep(db, lease.runId, lease.leaseId, row))
      steps += 1
    },
    add(statements) {
      pending.push(...statements)
    },
    get pendingSteps() {
      return steps
    },
    get holdsUnreplayable() {
      return unreplayable
    },
    async flush() {
      if (pending.length === 0) return true
      const statements = pending
      const stepAt = firstStepAt
      pending = []
      firstStepAt = -1
      steps = 0
      unreplayable = false
      const results = await db.batch(statements)
      return stepAt < 0 || results[stepAt]!.meta.changes === 1
    },
  }
}
