import { numberVar, type Env } from '../env'
import { describeError } from '../errors'
import type { CredentialType } from '../credentials/types'
import { readCredential } from '../credentials/read-credential'
import { logEvent } from '../lib/log-event'
import type { RetryPolicy } from '../workflow/definition'
import { isRunMessage, type RunMessage } from '../store/run-model'
import { queueDelaySeconds } from './messages'
import { retryDelayMs } from './retry-policy'
import type { Budget } from './lease-guard'
import { runWorkflow } from './run-workflow'

export const DEFAULT_STEPS_PER_MESSAGE = 40
const WALL_BUDGET_MS = 60_000
/** A message whose run hit a D1 or queue failure: 2 s, 4 s, … up to a minute, until the DLQ. */
const MESSAGE_RETRY: RetryPolicy = {
  maxAttempts: Number.POSITIVE_INFINITY,
  delayMs: 2_000,
  backoff: 'exponential',
  maxDelayMs: 60_000,
}

export function engineBudget(env: Env): Budget {
  return {
    steps: numberVar(env.ENGINE_STEPS_PER_MESSAGE, DEFAULT_STEPS_PER_MESSAGE),
    wallMs: WALL_BUDGET_MS,
  }
}

/**
 * The runs queue consumer. Each message is acked only once its run's state is in D1, and retried
 * (with a growing delay) when D1 or the queue failed under it, so an accepted run is not lost.
 */
export async function consumeRuns(batch: MessageBatch<RunMessage>, env: Env): Promise<void> {
  const budget = engineBudget(env)
  await Promise.all(
    batch.messages.map(async (message) => {
      if (!isRunMessage(message.body)) {
        logEvent('error', 'message_malformed', { id: message.id })
        message.ack()
        return
      }
      try {
        const deps = {
          db: env.DB,
          queue: env.RUNS,
          publicUrl: env.PUBLIC_URL,
          keySlots: env,
          credentials: (name: string, types: readonly CredentialType[]) =>
            readCredential(env, name, types),
        }
        const outcome = await runWorkflow(deps, message.body, budget)
        if (outcome.action === 'retry') message.retry({ delaySeconds: outcome.delaySeconds })
        else message.ack()
      } catch (error) {
        logEvent('error', 'message_retry', {
          runId: message.body.runId,
          attempts: message.attempts,
          error: describeError(error),
        })
        const delayMs = retryDelayMs(MESSAGE_RETRY, message.attempts)
        message.retry({ delaySeconds: queueDelaySeconds(delayMs) })
      }
    }),
  )
}
