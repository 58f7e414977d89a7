import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Env } from '../env'
import { AutomateError } from '../errors'
import type { RunMessage, RunOrigin, TriggerInfo } from '../engine/messages'
import { uuidv7 } from '../lib/ids'
import { encodeForMessage, utf8Length } from '../store/payloads'
import { logEvent } from '../lib/log-event'
import { claimDeliveryKey, releaseDeliveryKey } from '../store/delivery-keys'
import { deleteQueuedRun, insertRun } from '../store/run-row'
import type { StoredWorkflow } from '../store/workflows'
import { originOf } from './origin'

export type Accepted = { runId: string; statusUrl: string; duplicate: boolean }

/** How a run started from another one (a replay, a resume) differs from a delivery. */
export type AcceptOptions = {
  /** When the run is created: now, not when the trigger it copies was received. */
  createdAt?: number
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
}

export const acceptedSchema = z
  .object({
    runId: z.string(),
    statusUrl: z.url().meta({ description: 'GET it (admin auth) for the run and its steps' }),
    duplicate: z
      .literal(true)
      .optional()
      .meta({ description: 'a repeated delivery: the first run' }),
  })
  .meta({ id: 'AcceptedRun' })

/**
 * Puts a run on the queue and answers at once. The run row is written after the response
 * (waitUntil): the message itself carries everything the Engine needs, so nothing waits on D1
 * (unless INGEST_RECORD_FIRST says the queue is not durable, as under wrangler dev).
 * Two exceptions cost one D1 round trip before the answer: a delivery id to deduplicate (the
 * check must be atomic) and a payload too large for a queue message (stored first, referenced).
 */
export async function acceptRun(
  c: Context<{ Bindings: Env }>,
  workflow: Pick<StoredWorkflow, 'id' | 'version'>,
  payload: unknown,
  trigger: TriggerInfo,
  options: AcceptOptions = {},
): Promise<Accepted> {
  const db = c.env.DB
  const now = options.createdAt ?? trigger.receivedAt
  const runId = uuidv7(now)
  const statusUrl = `${originOf(c)}/api/runs/${runId}`

  // Serialised before the delivery id is claimed: a payload that cannot be serialised must not
  // leave the id claimed for a run that never existed.
  const triggerText = JSON.stringify(trigger)
  const input = encodeForMessage(db, payload, utf8Length(triggerText))

  // A copy of a run keeps its trigger as recorded, delivery id included, but is no delivery.
  const dedupeKey = options.origin ? undefined : trigger.dedupeKey
  if (dedupeKey) {
    const first = await claimDeliveryKey(db, workflow.id, dedupeKey, runId, now)
    if (first !== runId)
      return {
        runId: first,
        statusUrl: `${originOf(c)}/api/runs/${first}`,
        duplicate: true,
      }
  }

  const message: RunMessage = {
    v: 1,
    runId,
    start: {
      workflowId: workflow.id,
      workflowVersion: workflow.version,
      trigger,
      input: input.text,
      createdAt: now,
      ...(options.origin ? { origin: options.origin } : {}),
    },
  }
  const record = insertRun(
    db,
    {
      id: runId,
      workflowId: workflow.id,
      workflowVersion: workflow.version,
      triggerText,
      inputText: input.text,
      createdAt: now,
      ...(options.origin ? { origin: options.origin } : {}),
    },
    { status: 'queued' },
  )
  const rows = options.rows?.(runId, now)
  // Where the queue itself is not durable (wrangler dev keeps it in memory), the run is recorded
  // before it is queued and answered, so the sweeper finds it after a restart; and when that
  // write fails, nothing was queued. A run with rows of its own is recorded first too: they
  // must be there when it is claimed.
  const recordFirst = c.env.INGEST_RECORD_FIRST === 'true' || rows !== undefined
  try {
    // A large payload's chunks, inside the try: a failed write must give the delivery id back too.
    if (input.statements.length) await db.batch(input.statements)
    if (rows) await db.batch([record, ...rows.write])
    else if (recordFirst) await record.run()
    await c.env.RUNS.send(message)
  } catch (error) {
    // Not accepted after all: undo what was written, so nothing runs and the sender's retry
    // with the same delivery id gets through.
    const undo = [deleteQueuedRun(db, runId), ...(rows?.undo ?? [])]
    if (dedupeKey) undo.push(releaseDeliveryKey(db, workflow.id, dedupeKey, runId))
    c.executionCtx.waitUntil(db.batch(undo).catch(() => undefined))
    throw new AutomateError('QUEUE_UNAVAILABLE', 'The run could not be queued; try again', {
      status: 503,
      cause: error,
    })
  }
  if (!recordFirst) {
    c.executionCtx.waitUntil(
      record.run().catch((error: unknown) => {
        // The queue still has the run; the Engine creates the row when it takes the message.
        logEvent('error', 'run_record_deferred', { runId, message: (error as Error).message })
      }),
    )
  }
  return { runId, statusUrl, duplicate: false }
}

export function acceptedResponse(c: Context, accepted: Accepted) {
  c.header('Location', accepted.statusUrl)
  const body = { runId: accepted.runId, statusUrl: accepted.statusUrl }
  return accepted.duplicate ? c.json({ ...body, duplicate: true }, 200) : c.json(body, 202)
}
