import type { Context } from 'hono'
import { isResponseHeaderAllowed } from '../../nodes/response-headers'
import { readRunStatus, type RunOutcome } from '../../store/run-outcome'
import { acceptedResponse, type Accepted } from '../accept-run'
import { waitForOutcome } from '../wait-for-outcome'

/** How long a `"respond": "sync"` webhook waits for its run before answering 202. */
export const SYNC_WAIT_MS = 25_000

/**
 * The answer of a sync webhook: the run's first step of a node that answers (respond), or its
 * output once it ends, or 202 after SYNC_WAIT_MS (waitForOutcome: at most ~60 D1 reads).
 */
export async function syncResponse(c: Context, accepted: Accepted, waitMs = SYNC_WAIT_MS) {
  // A repeated delivery id (a dedupe path, a guessed Idempotency-Key) may come from someone else
  // than the first sender: it learns the first run's id and status, never that run's answer.
  if (accepted.duplicate) return duplicateResponse(c, accepted)
  const outcome = await waitForOutcome(c.env.DB, accepted.runId, waitMs)
  return outcome ? answer(c, accepted, outcome) : acceptedResponse(c, accepted)
}

async function duplicateResponse(c: Context, accepted: Accepted) {
  c.header('Location', accepted.statusUrl)
  const status = (await readRunStatus(c.env.DB, accepted.runId)) ?? 'queued'
  const body = { runId: accepted.runId, statusUrl: accepted.statusUrl, duplicate: true, status }
  return c.json(body, 200)
}

/** Ours, set after the respond step's: `sandbox` runs no script, frame-ancestors frames nothing. */
export const ANSWER_CSP = "sandbox; frame-ancestors 'none'"

function answer(c: Context, accepted: Accepted, outcome: RunOutcome) {
  c.header('Location', accepted.statusUrl)
  c.header('X-Run-Id', accepted.runId)
  if (outcome.kind === 'responded') {
    const { status, headers, body } = outcome.response
    // Only the allowed headers (the node refuses others; a definition stored before that rule
    // may still hold them), and ours after them, so none of ours can be replaced.
    for (const [name, value] of Object.entries(headers))
      if (isResponseHeaderAllowed(name)) c.header(name, value)
    // The body may be HTML built from the caller's input, served on the admin page's origin:
    // sandboxed, it runs no script and reaches nothing of that origin; nobody may frame it.
    c.header('Content-Security-Policy', ANSWER_CSP)
    c.header('X-Frame-Options', 'DENY')
    c.header('X-Content-Type-Options', 'nosniff')
    const explicitType = Object.keys(headers).some((n) => n.toLowerCase() === 'content-type')
    if (typeof body === 'string') {
      if (!explicitType) c.header('content-type', 'text/plain; charset=utf-8')
      return c.body(body, status as 200)
    }
    if (!explicitType) c.header('content-type', 'application/json')
    return c.body(JSON.stringify(body ?? null), status as 200)
  }
  if (outcome.status === 'failed') {
    // Not the step's error itself: the caller holds only the webhook URL, and an error message
    // can say more about the workflow than its owner means to publish.
    return c.json(
      {
        error: {
          code: 'RUN_FAILED',
          message: 'The run failed; its status URL (admin) says why',
          details: { runId: accepted.runId, statusUrl: accepted.statusUrl },
        },
      },
      500,
    )
  }
  return c.json(outcome.output ?? null, 200)
}
