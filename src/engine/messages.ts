import type { ErrorInfo } from '../errors'

/** What the webhook or a manual start recorded about how a run began. */
export type TriggerInfo = {
  type: 'webhook' | 'manual' | 'schedule'
  receivedAt: number
  /**
   * The origin the webhook or manual start was received on: where the run's resume URLs point
   * (unless PUBLIC_URL says otherwise).
   */
  origin?: string
  /** A webhook's HTTP method: POST, PUT or GET (when the trigger's `methods` allows them). */
  method?: string
  contentType?: string
  query?: Record<string, string>
  headers?: Record<string, string>
  dedupeKey?: string
  /** A schedule's run: the fire time it stands for (ISO 8601), and its cron and time zone. */
  scheduledAt?: string
  cron?: string
  timezone?: string
  /** Under catchUp `once`: the first of the missed fire times this run also stands for. */
  missedSince?: string
}

/**
 * The one message on the runs queue. `start` carries everything needed to create the run, so
 * the consumer never depends on the ingest path's own D1 write having landed; a message without
 * it resumes a run that already exists (continuation, delayed retry, sweeper).
 */
export type RunMessage = {
  v: 1
  runId: string
  start?: {
    workflowId: string
    workflowVersion: number
    trigger: TriggerInfo
    /** JSON text of the input, or a blob reference when it was too large for a message. */
    input: string
    createdAt: number
    /** The run this one replays or resumes, when it was started from another. */
    origin?: RunOrigin
  }
}

/** Where a run started from another came from: shown as replayOf / resumedFrom on the run. */
export type RunOrigin = { replayOf: string } | { resumedFrom: string }

export function isRunMessage(body: unknown): body is RunMessage {
  return typeof body === 'object' && body !== null && typeof (body as RunMessage).runId === 'string'
}

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

/** A node waiting for a delayed retry: the attempts so far carry on when the run wakes. */
export type PendingRetry = { index: number; attempts: number; error: ErrorInfo }
