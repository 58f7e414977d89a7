import type { Env } from '../env'
import { describeError } from '../errors'
import { logEvent } from '../lib/log-event'
import { failIdleRun, insertRun, newRunOf } from '../store/run-row'
import { isRunMessage, type RunMessage } from '../store/run-model'

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
    const error = {
      message: `The run's queue message failed ${message.attempts} deliveries and was dead-lettered`,
      code: 'DEAD_LETTERED',
    }
    try {
      // A run a live consumer holds is making progress (this was a duplicate message): left alone.
      const statements = [failIdleRun(env.DB, body.runId, error, now)]
      if (body.start) {
        const run = newRunOf(body.runId, body.start)
        const errorText = JSON.stringify(error)
        statements.push(insertRun(env.DB, run, { status: 'failed', errorText, finishedAt: now }))
      }
      await env.DB.batch(statements)
      message.ack()
    } catch (thrown) {
      logEvent('error', 'dead_letter_retry', { runId: body.runId, error: describeError(thrown) })
      message.retry({ delaySeconds: 30 })
    }
  }
}
