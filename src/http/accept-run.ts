import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Env } from '../env'
import { AutomateError } from '../errors'
import type { RunMessage, TriggerInfo } from '../engine/messages'
import { uuidv7 } from '../lib/ids'
import { encodeForMessage, utf8Length } from '../store/payloads'
import { DEDUPE_WINDOW_MS } from '../store/expire-delivery-keys'
import { insertQueuedRun } from '../store/runs'
import type { StoredWorkflow } from '../store/workflows'

export type Accepted = { runId: string; statusUrl: string; duplicate: boolean }

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
  workflow: StoredWorkflow,
  payload: unknown,
  trigger: TriggerInfo,
): Promise<Accepted> {
  const db = c.env.DB
  const now = trigger.receivedAt
  const runId = uuidv7(now)
  const statusUrl = `${new URL(c.req.url).origin}/api/runs/${runId}`

  // Serialised before the delivery id is claimed: a payload that cannot be serialised must not
  // leave the id claimed for a run that never existed.
  const triggerText = JSON.stringify(trigger)
  const input = encodeForMessage(db, payload, utf8Length(triggerText))

  if (trigger.dedupeKey) {
    const first = await claimDeliveryKey(db, workflow.id, trigger.dedupeKey, runId, now)
    if (first !== runId)
      return {
        runId: first,
        statusUrl: `${new URL(c.req.url).origin}/api/runs/${first}`,
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
    },
  }
  const record = insertQueuedRun(db, {
    id: runId,
    workflowId: workflow.id,
    workflowVersion: workflow.version,
    triggerText,
    input: input.text,
    createdAt: now,
  })
  // Where the queue itself is not durable (wrangler dev keeps it in memory), the run is recorded
  // before it is queued and answered, so the sweeper finds it after a restart; and when that
  // write fails, nothing was queued.
  const recordFirst = c.env.INGEST_RECORD_FIRST === 'true'
  try {
    // A large payload's chunks, inside the try: a failed write must give the delivery id back too.
    if (input.statements.length) await db.batch(input.statements)
    if (recordFirst) await record.run()
    await c.env.RUNS.send(message)
  } catch (error) {
    // Not accepted after all: undo what was written, so nothing runs and the sender's retry
    // with the same delivery id gets through.
    const undo = [db.prepare("DELETE FROM runs WHERE id = ? AND status = 'queued'").bind(runId)]
    if (trigger.dedupeKey) {
      undo.push(
        db
          .prepare('DELETE FROM ingest_keys WHERE workflow_id = ? AND key = ? AND run_id = ?')
          .bind(workflow.id, trigger.dedupeKey, runId),
      )
    }
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
        console.error(
          JSON.stringify({
            event: 'run_record_deferred',
            runId,
            message: (error as Error).message,
          }),
        )
      }),
    )
  }
  return { runId, statusUrl, duplicate: false }
}

/**
 * Atomically records the delivery id, returning the run that owns it: ours when it is new or
 * the earlier one is older than the window, the earlier run's id when this is a repeat.
 */
async function claimDeliveryKey(
  db: D1Database,
  workflowId: string,
  key: string,
  runId: string,
  now: number,
) {
  const row = await db
    .prepare(
      `INSERT INTO ingest_keys (workflow_id, key, run_id, created_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (workflow_id, key) DO UPDATE SET
         run_id = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.run_id ELSE ingest_keys.run_id END,
         created_at = CASE WHEN ingest_keys.created_at < ?5 THEN excluded.created_at ELSE ingest_keys.created_at END
       RETURNING run_id`,
    )
    .bind(workflowId, key, runId, now, now - DEDUPE_WINDOW_MS)
    .first<{ run_id: string }>()
  return row!.run_id
}

export function acceptedResponse(c: Context, accepted: Accepted) {
  c.header('Location', accepted.statusUrl)
  const body = { runId: accepted.runId, statusUrl: accepted.statusUrl }
  return accepted.duplicate ? c.json({ ...body, duplicate: true }, 200) : c.json(body, 202)
}
