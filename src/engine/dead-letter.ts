import type { Env } from '../env'
import { describeError } from '../errors'
import { isRunMessage } from './consume'
import type { RunMessage } from './messages'

/**
 * A message that used up its queue retries: its run can no longer make progress on its own, so
 * it is marked failed with the reason, rather than left queued or running. A run the ingest
 * path never got to record is created here, failed, so it still shows up.
 */
export async function consumeDeadLetters(batch: MessageBatch<RunMessage>, env: Env): Promise<void> {
  const now = Date.now()
  for (const message of batch.messages) {
    const body = message.body
    if (!isRunMessage(body)) {
      message.ack()
      continue
    }
    const error = JSON.stringify({
      message: `The run's queue message failed ${message.attempts} deliveries and was dead-lettered`,
      code: 'DEAD_LETTERED',
    })
    try {
      const statements = [
        env.DB.prepare(
          // A run a live consumer holds is making progress (this was a duplicate message): leave it.
          `UPDATE runs SET status = 'failed', error = ?2, finished_at = ?3, lease_id = NULL, lease_until = NULL
           WHERE id = ?1 AND status IN ('queued', 'running') AND (lease_until IS NULL OR lease_until < ?3)`,
        ).bind(body.runId, error, now),
      ]
      if (body.start) {
        statements.push(
          env.DB.prepare(
            `INSERT OR IGNORE INTO runs (id, workflow_id, workflow_version, status, trigger, input, error,
               created_at, finished_at, wake_at)
             VALUES (?, ?, ?, 'failed', ?, ?, ?, ?, ?, ?)`,
          ).bind(
            body.runId,
            body.start.workflowId,
            body.start.workflowVersion,
            JSON.stringify(body.start.trigger),
            body.start.input,
            error,
            body.start.createdAt,
            now,
            now,
          ),
        )
      }
      await env.DB.batch(statements)
      message.ack()
    } catch (thrown) {
      console.error(
        JSON.stringify({
          event: 'dead_letter_retry',
          runId: body.runId,
          error: describeError(thrown),
        }),
      )
      message.retry({ delaySeconds: 30 })
    }
  }
}
