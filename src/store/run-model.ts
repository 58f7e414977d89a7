import type { ErrorInfo } from '../errors'
import { hashToken } from '../lib/ids'

// The run as the rest of the Worker talks about it: how it began, the one queue message, and
// what its row keeps while no consumer holds it. Below the engine, so the store can write it.

/** What the webhook, a manual start or a schedule recorded about how a run began. */
export type TriggerInfo = {
  type: 'webhook' | 'manual' | 'schedule' | 'poll' | 'mcp'
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
  /** A poll trigger's run: the polling trigger type, and the id of the item it was started for. */
  source?: string
  itemId?: string
  /** An MCP call's run: the workflow's tool name, and the name of the API token that called it. */
  tool?: string
  calledBy?: string
}

/** Where a run started from another came from: shown as replayOf / resumedFrom on the run. */
export type RunOrigin = { replayOf: string } | { resumedFrom: string }

/** Everything needed to create a run's row: the message carries it, the row is made from it. */
export type RunStart = {
  workflowId: string
  workflowVersion: number
  trigger: TriggerInfo
  /** JSON text of the input, or a blob reference when it was too large for a message. */
  input: string
  createdAt: number
  /** The run this one replays or resumes, when it was started from another. */
  origin?: RunOrigin
}

/**
 * The one message on the runs queue. `start` carries everything needed to create the run, so
 * the consumer never depends on the ingest path's own D1 write having landed; a message without
 * it resumes a run that already exists (continuation, delayed retry, sweeper).
 */
export type RunMessage = { v: 1; runId: string; start?: RunStart }

export function isRunMessage(body: unknown): body is RunMessage {
  return typeof body === 'object' && body !== null && typeof (body as RunMessage).runId === 'string'
}

/** A node waiting for a delayed retry: the attempts so far carry on when the run wakes. */
export type PendingRetry = { index: number; attempts: number; error: ErrorInfo }

/**
 * A step that paused its run (see suspendRun in src/nodes/define-node.ts), as the runs row keeps
 * it while no consumer holds the run. The step row is written when the wait ends.
 */
export type Waiting = {
  /** The waiting step. */
  index: number
  nodeId: string
  /** What it waits for, as the node said: 'delay', 'webhook'. */
  for: string
  /** When the node started (the step's startedAt) and when the wait ends on its own. */
  since: number
  until: number
  attempts: number
  /** How the step ends at `until` without a call: its output (column text) or an error. */
  onTimeout: { outputText: string } | { error: ErrorInfo }
  /**
   * Set when an outside call may end the wait early (wakeRun): the SHA-256 of the key it must
   * bring (hashToken), so a D1 export cannot answer the wait.
   */
  callKeyHash?: string
  /** The key itself, as a wait paused before keys were hashed keeps it; never written now. */
  callKey?: string
  /** The value an outside call delivered (column text), once it has. */
  deliveredText?: string
}

/** The run's view of a wait, for GET /api/runs/:id. */
export function describeWaiting(waiting: Waiting) {
  return {
    stepIndex: waiting.index,
    nodeId: waiting.nodeId,
    for: waiting.for,
    since: new Date(waiting.since).toISOString(),
    until: new Date(waiting.until).toISOString(),
    acceptsCall: waiting.callKeyHash !== undefined || waiting.callKey !== undefined,
    delivered: waiting.deliveredText !== undefined,
  }
}

/**
 * What a wait keeps of its call key: its hash only. A node gives the key (Suspend.callKey); a
 * wait suspended again keeps the hash it had, and a legacy one's key in clear is hashed now.
 */
export async function keptCallKey(wait: {
  callKey?: string
  callKeyHash?: string
}): Promise<Pick<Waiting, 'callKeyHash'>> {
  if (wait.callKeyHash !== undefined) return { callKeyHash: wait.callKeyHash }
  if (wait.callKey !== undefined) return { callKeyHash: await hashToken(wait.callKey) }
  return {}
}

/**
 * How `runs.resume_key` begins since resume keys stopped being stored: `derived:<keyId>:<salt>`
 * (src/engine/resume-key.ts). A value without it is a key kept in clear by an older version.
 */
export const DERIVED_PREFIX = 'derived:'
