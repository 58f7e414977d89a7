import { readCredential } from '../credentials/read-credential'
import { startGatedRuns, recordFailedStart, type RunRequest } from '../engine/start-run'
import type { RunsQueue } from '../engine/messages'
import { AutomateError, describeError, type ErrorInfo } from '../errors'
import { randomToken, uuidv7 } from '../lib/ids'
import { logEvent } from '../lib/log-event'
import { redactError } from '../redact/redact'
import { claimPoll, claimPollAlert, recordPollFailure, type DuePoll } from '../store/polls'
import type { TriggerInfo } from '../store/run-model'
import { findPollTrigger } from '../triggers/registry'
import type { WorkflowDefinition } from '../workflow/definition'
import type { PollTrigger } from '../workflow/trigger'
import { FAILURES_BEFORE_INBOX, nextPollAfterFailure } from './backoff'

export type PollEnv = { DB: D1Database; RUNS: RunsQueue; ENCRYPTION_KEY?: string }

/** A source that has not answered in this long has failed this poll. */
const POLL_TIMEOUT_MS = 60_000

/** What one poll did: the answer of POST /api/workflows/:id/poll. */
export type PollReport = {
  workflowId: string
  source: string
  /** The first poll: it recorded where "new" starts (and started runs only with processExisting). */
  baseline: boolean
  /** New items the source found. */
  found: number
  /** The runs started, one per item, oldest first. */
  started: { runId: string; itemId: string }[]
  /** Items found that an earlier run already owns (their dedupe key): nothing started for them. */
  alreadyStarted: string[]
  /** Items beyond maxItems, left for the next poll. */
  left: number
  /** False when another poll, an edit or a reset recorded first: this one started nothing. */
  recorded: boolean
  nextPollAt: string
}

/**
 * One poll of a workflow's trigger: asks the source what is new since the cursor, then records
 * the new cursor and starts one run per item in one D1 batch (startGatedRuns), so an item is
 * started exactly once: a crash before the batch leaves the cursor where it was (the items are
 * found again), a crash after it leaves the runs in D1 (the sweeper queues them), and a poll that
 * read the row before another recorded writes nothing. Each run also claims the dedupe key
 * `poll:<source>:<item id>` in that batch. A failure is counted, backs off and, after
 * FAILURES_BEFORE_INBOX in a row, is put in the inbox once; it is thrown on to the caller.
 */
export async function pollWorkflow(env: PollEnv, due: DuePoll, now = Date.now()) {
  const definition = JSON.parse(due.definition) as WorkflowDefinition
  const trigger = definition.trigger as PollTrigger
  try {
    return await pollSource(env, due, trigger, now)
  } catch (error) {
    // Redacted before it is stored, put in the inbox or answered: an app's error may quote the
    // credential it was sent (an API echoing its Authorization header).
    const info = redactError(describeError(error))
    await recordFailure(env, due, error, info, now)
    if (!(error instanceof AutomateError)) throw error
    throw new AutomateError(error.code, info.message, {
      status: error.status,
      retryable: error.retryable,
      details: info.details,
      retryAfterMs: error.retryAfterMs,
    })
  }
}

async function pollSource(env: PollEnv, due: DuePoll, trigger: PollTrigger, now: number) {
  const source = findPollTrigger(due.source)
  if (trigger.type !== 'poll' || !source) {
    throw new AutomateError('POLL_FAILED', `Unknown polling trigger '${due.source}'`, {
      retryable: false,
    })
  }
  const config = source.config.parse(trigger.config)
  const cursor = due.cursor === null ? null : (JSON.parse(due.cursor) as unknown)
  const baseline = due.cursor === null
  const baselineOnly = baseline && (due.skip_existing === 1 || !trigger.processExisting)
  const answer = await source.poll({
    config,
    cursor,
    baselineOnly,
    limit: trigger.maxItems,
    credential: () => {
      const name = (config as { credential?: unknown }).credential
      if (typeof name !== 'string') {
        throw new AutomateError('CONFIG_INVALID', 'config.credential names no stored credential', {
          retryable: false,
        })
      }
      return readCredential(env, name, source.credentialTypes ?? [])
    },
    signal: AbortSignal.timeout(POLL_TIMEOUT_MS),
    now,
  })
  const items = baselineOnly ? [] : answer.items
  const taken = items.slice(0, trigger.maxItems)
  const nextCursor = answer.cursorAfter(taken.length)
  const requests: (RunRequest & { runId: string; itemId: string })[] = []
  for (const item of taken) {
    const info: TriggerInfo = {
      type: 'poll',
      receivedAt: now,
      source: due.source,
      itemId: item.id,
      dedupeKey: await dedupeKey(due.source, item.id),
    }
    requests.push({
      // Ids in item order: the runs list them oldest item first.
      runId: uuidv7(now),
      itemId: item.id,
      workflow: { id: due.workflow_id, version: due.workflow_version },
      payload: item.item,
      trigger: info,
      createdAt: now,
    })
  }
  const nextPollAt = now + due.every_ms
  const gate = claimPoll(env.DB, due, {
    claimId: randomToken(12),
    cursor: nextCursor,
    now,
    nextPollAt,
    found: items.length,
    started: taken.length,
  })
  const { claimed, started } = await startGatedRuns(env, requests, gate)
  const runIds = new Set(started)
  const report: PollReport = {
    workflowId: due.workflow_id,
    source: due.source,
    baseline,
    found: items.length,
    started: requests
      .filter((request) => runIds.has(request.runId))
      .map((request) => ({ runId: request.runId, itemId: request.itemId })),
    alreadyStarted: claimed
      ? requests.filter((r) => !runIds.has(r.runId)).map((r) => r.itemId)
      : [],
    left: items.length - taken.length,
    recorded: claimed,
    nextPollAt: new Date(nextPollAt).toISOString(),
  }
  logEvent('info', 'poll_done', {
    workflowId: due.workflow_id,
    source: due.source,
    baseline,
    found: report.found,
    started: report.started.length,
    recorded: claimed,
  })
  return report
}

/**
 * The dedupe key of an item: its source and id (the workflow is the key's other half in
 * ingest_keys). A long id is hashed, so the key stays a key.
 */
async function dedupeKey(source: string, itemId: string) {
  if (itemId.length <= 200) return `poll:${source}:${itemId}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(itemId))
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `poll:${source}:sha256:${hex}`
}

async function recordFailure(
  env: PollEnv,
  due: DuePoll,
  thrown: unknown,
  error: ErrorInfo,
  now: number,
) {
  const retryAfterMs = thrown instanceof AutomateError ? thrown.retryAfterMs : undefined
  const failures = due.failures + 1
  const row = await recordPollFailure(env.DB, due, {
    now,
    nextPollAt: nextPollAfterFailure(due.every_ms, failures, now, retryAfterMs),
    error: JSON.stringify(error),
  })
  logEvent('warn', 'poll_failed', {
    workflowId: due.workflow_id,
    source: due.source,
    failures: row?.failures ?? failures,
    code: error.code,
    message: error.message,
  })
  if (!row || row.failures < FAILURES_BEFORE_INBOX || row.failed_run_id !== null) return
  const runId = uuidv7(now)
  const inboxError = {
    ...error,
    message: `Polling ${due.source} failed ${row.failures} times in a row: ${error.message}`,
  }
  await recordFailedStart(
    env,
    {
      runId,
      workflow: { id: due.workflow_id, version: due.workflow_version },
      payload: null,
      trigger: { type: 'poll', receivedAt: now, source: due.source },
      createdAt: now,
    },
    inboxError,
    claimPollAlert(env.DB, due, runId),
  )
}
