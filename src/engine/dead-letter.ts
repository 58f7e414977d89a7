import type { Env } from '../env'
import { describeError } from '../errors'
import { logEvent } from '../lib/log-event'
import { failDeadLetteredRun } from '../store/run-row'
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
      await failDeadLetteredRun(env.DB, body.runId, body.start, error, now)
      message.ack()
    } catch (thrown) {
      logEvent('error', 'dead_letter_retry', { runId: body.runId, error: describeError(thrown) })
      message.retry({ delaySeconds: 30 })
    }
  }
}
