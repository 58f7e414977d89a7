import type { RunMessage } from '../store/run-model'

/** The part of the runs queue the Engine, the sweeper and the dead-letter consumer use. */
export type RunsQueue = {
  send(message: RunMessage, options?: QueueSendOptions): Promise<unknown>
  sendBatch(messages: Iterable<MessageSendRequest<RunMessage>>): Promise<unknown>
}

/** A message that resumes a run already in D1. */
export const resumeMessage = (runId: string): RunMessage => ({ v: 1, runId })

/** Cloudflare Queues delay a message by at most 12 hours; a longer wait is delayed again. */
export const MAX_QUEUE_DELAY_MS = 12 * 3600_000

/** The queue's delaySeconds for a wait, within the ceiling (0: no delay). */
export function queueDelaySeconds(delayMs: number) {
  return Math.min(MAX_QUEUE_DELAY_MS / 1000, Math.max(0, Math.ceil(delayMs / 1000)))
}
