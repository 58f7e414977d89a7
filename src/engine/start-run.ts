import { AutomateError, type ErrorInfo } from '../errors'
import { uuidv7 } from '../lib/ids'
import { logEvent } from '../lib/log-event'
import { claimDeliveryKey, releaseDeliveryKey } from '../store/delivery-keys'
import { recordGatedRuns, recordRun, recordRunLater, undoRun, type NewRun } from '../store/new-runs'
import { encodeForMessage, utf8Length } from '../store/payloads'
import type { InsertGuard } from '../store/run-row'
import type { RunMessage, RunOrigin, TriggerInfo } from '../store/run-model'
import type { RunsQueue } from './messages'

// The one way a run begins: a webhook, a manual start, a replay, a resume (startRun) and a
// schedule's fire times (startRuns) all become a RunStart here, from which both the queue
// message and the run's row are made.

export type RunRequest = {
  workflow: { id: string; version: number }
  /** The run's input. */
  payload: unknown
  trigger: TriggerInfo
  createdAt: number
  /** A schedule derives its run's id from the fire time; otherwise a new UUIDv7. */
  runId?: string
  /** The run this one replays or resumes. */
  origin?: RunOrigin
  /**
   * Rows the run must find when it is claimed (a resume's reused steps), made once its id is
   * known: written in the batch that records the run, before it is queued, and `undo` when it
   * cannot be queued.
   */
  rows?: (
    runId: string,
    now: number,
  ) => { write: D1PreparedStatement[]; undo: D1PreparedStatement[] }
  /**
   * A write that must win for the run to be created at all (a resume's claim on the run it
   * resumes), made once the run's id is known. It goes in the batch that records the run, whose
   * row is written only under `guard`; `release` gives it back when the run cannot be queued.
   */
  gate?: (runId: string) => RunGate
}

export type RunGate = {
  claim: D1PreparedStatement
  guard: InsertGuard
  release: D1PreparedStatement
  /** Why the run was not started when the claim lost: thrown to the caller. */
  lost: () => Promise<Error>
}

export type StartEnv = {
  DB: D1Database
  RUNS: RunsQueue
  /** The queue is not durable (wrangler dev keeps it in memory): record the run before queueing. */
  recordFirst?: boolean
  /** Work that may finish after the answer (the run's row). */
  waitUntil(promise: Promise<unknown>): void
}

export type Started = { runId: string; duplicate: boolean }

/** The run's message and the writes it refers to, made from one RunStart. */
function newRun(db: D1Database, request: RunRequest): NewRun & { message: RunMessage } {
  const runId = request.runId ?? uuidv7(request.createdAt)
  // Serialised before a delivery id is claimed: a payload that cannot be serialised must not
  // leave the id claimed for a run that never existed.
  const input = encodeForMessage(db, request.payload, utf8Length(JSON.stringify(request.trigger)))
  const start = {
    workflowId: request.workflow.id,
    workflowVersion: request.workflow.version,
    trigger: request.trigger,
    input: input.text,
    createdAt: request.createdAt,
    ...(request.origin ? { origin: request.origin } : {}),
  }
  return { runId, start, blobs: input.statements, message: { v: 1, runId, start } }
}

/**
 * Puts a run on the queue. The run row is written after (waitUntil): the message itself carries
 * everything the Engine needs, so nothing waits on D1 (unless `recordFirst`). Two exceptions
 * cost one D1 round trip first: a delivery id to deduplicate (the check must be atomic) and a
 * payload too large for a queue message (stored first, referenced).
 */
export async function startRun(env: StartEnv, request: RunRequest): Promise<Started> {
  const db = env.DB
  const run = newRun(db, request)
  const { runId } = run
  const now = request.createdAt

  // A copy of a run keeps its trigger as recorded, delivery id included, but is no delivery.
  const dedupeKey = request.origin ? undefined : request.trigger.dedupeKey
  if (dedupeKey) {
    const first = await claimDeliveryKey(db, request.workflow.id, dedupeKey, runId, now)
    if (first !== runId) return { runId: first, duplicate: true }
  }

  const rows = request.rows?.(runId, now)
  const gate = request.gate?.(runId)
  // Where the queue itself is not durable, the run is recorded before it is queued and
  // answered, so the sweeper finds it after a restart; and when that write fails, nothing was
  // queued. A run with rows of its own, or a gate, is recorded first too: its rows must be there
  // when it is claimed, and only the gate's claim decides whether it exists.
  const recordFirst = env.recordFirst === true || rows !== undefined || gate !== undefined
  let won = true
  try {
    // Inside the try: a failed write must give the delivery id back too.
    if (gate) {
      const { written } = await recordGatedRuns(db, gate, [run], { rows: rows?.write })
      won = written.has(runId)
    } else await recordRun(db, run, { record: recordFirst, rows: rows?.write })
    if (won) await env.RUNS.send(run.message)
  } catch (error) {
    // Not accepted after all: undo what was written, so nothing runs and the sender's retry
    // with the same delivery id gets through.
    const also = [...(rows?.undo ?? [])]
    if (gate) also.push(gate.release)
    if (dedupeKey) also.push(releaseDeliveryKey(db, request.workflow.id, dedupeKey, runId))
    env.waitUntil(undoRun(db, runId, also).catch(() => undefined))
    throw new AutomateError('QUEUE_UNAVAILABLE', 'The run could not be queued; try again', {
      status: 503,
      cause: error,
    })
  }
  if (!won) throw await gate!.lost()
  if (!recordFirst) {
    env.waitUntil(
      recordRunLater(db, run).catch((error: unknown) => {
        // The queue still has the run; the Engine creates the row when it takes the message.
        logEvent('error', 'run_record_deferred', { runId, message: (error as Error).message })
      }),
    )
  }
  return { runId, duplicate: false }
}

/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100

/**
 * Starts several runs together (a schedule's fire times): their rows are written in one batch
 * after `gate.claim`, and only if it wins (see recordGatedRuns), then their messages are sent.
 * A run whose message is lost is in D1 for the sweeper. False when the claim lost: none started.
 */
export async function startRuns(
  env: Pick<StartEnv, 'DB' | 'RUNS'>,
  requests: RunRequest[],
  gate: { claim: D1PreparedStatement; guard: InsertGuard },
): Promise<boolean> {
  return (await startGatedRuns(env, requests, gate)).claimed
}

/**
 * startRuns, answering which runs started: a request whose trigger carries a dedupeKey another
 * run owns (an item already started) is not written, and its message is not sent.
 */
export async function startGatedRuns(
  env: Pick<StartEnv, 'DB' | 'RUNS'>,
  requests: RunRequest[],
  gate: { claim: D1PreparedStatement; guard: InsertGuard },
): Promise<{ claimed: boolean; started: string[] }> {
  const runs = requests.map((request) => newRun(env.DB, request))
  const { claimed, written } = await recordGatedRuns(env.DB, gate, runs)
  if (!claimed) return { claimed, started: [] }
  const started = runs.filter((run) => written.has(run.runId))
  for (let i = 0; i < started.length; i += SEND_BATCH) {
    const chunk = started.slice(i, i + SEND_BATCH).map((run) => ({ body: run.message }))
    await env.RUNS.sendBatch(chunk)
  }
  return { claimed, started: started.map((run) => run.runId) }
}

/**
 * A run that failed before it began (a poll trigger that keeps failing), recorded as failed so
 * it shows in the inbox with its error, as a failed run does: written in one batch after
 * `gate.claim`, only if that wins. Nothing is queued. The run id, or undefined when the claim lost.
 */
export async function recordFailedStart(
  env: Pick<StartEnv, 'DB'>,
  request: RunRequest & { runId: string },
  error: ErrorInfo,
  gate: { claim: D1PreparedStatement; guard: InsertGuard },
): Promise<string | undefined> {
  const run = newRun(env.DB, request)
  const state = {
    status: 'failed',
    errorText: JSON.stringify(error),
    finishedAt: request.createdAt,
  } as const
  const { claimed, written } = await recordGatedRuns(env.DB, gate, [run], { state })
  return claimed && written.has(run.runId) ? run.runId : undefined
}
