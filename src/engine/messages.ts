/** What the webhook or a manual start recorded about how a run began. */
export type TriggerInfo = {
  type: 'webhook' | 'manual' | 'schedule'
  receivedAt: number
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
  }
}
