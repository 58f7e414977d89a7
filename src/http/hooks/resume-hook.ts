import { Hono, type Context } from 'hono'
import type { Env } from '../../env'
import { resumeKeyOf } from '../../engine/resume-key'
import { decisionOf, decisionToken, resumeToken } from '../../engine/resume-url'
import { describeError } from '../../errors'
import { logEvent } from '../../lib/log-event'
import { wakeRun } from '../../engine/wake-run'
import { secretsEqual } from '../../lib/ids'
import { readResumeRow, type ResumeState } from '../../store/resume-state'
import { errorBody } from '../errors'
import { MAX_WEBHOOK_BYTES, unknownHook } from './hooks'
import { readLimited } from '../read-limited'
import { confirmPage, messagePage } from './resume-page'
import { fieldsToObject, parseWebhookBody } from './webhook-body'

/**
 * A run's resume URL, `/hooks/resume/:runId/:nodeId/:token`, handed out as `run.resumeUrl`: a
 * POST or PUT delivers its body to the waiting wait-for-webhook node (once), a GET shows a page
 * that asks before it does, so a link preview or a crawler never answers for a person. The token
 * is the auth. The run itself goes on in the queue consumer: this route only records the value
 * and sends a queue message (wakeRun).
 */
export const resumeHooks = new Hono<{ Bindings: Env }>()

resumeHooks.on(['POST', 'PUT', 'GET'], '/:runId/:nodeId/:token', async (c) => {
  const { runId, nodeId, token } = c.req.param()
  const row = await readResumeRow(c.env.DB, runId, nodeId, Date.now())
  // A wait that offers decisions answers only their own URLs, each naming its decision: the
  // approve link cannot be edited into a reject. One without answers only its plain URL.
  const decision = decisionOf(token)
  const offered = row ? row.decisions : []
  const fits = offered.length ? decision !== undefined && offered.includes(decision) : !decision
  const key = row?.key && fits ? await runKey(c.env, runId, row.key) : undefined
  // The same answer as any unknown hook for an unknown run, node or wrong token: nothing to learn.
  const expected = key
    ? decision
      ? await decisionToken(key, runId, nodeId, decision)
      : await resumeToken(key, runId, nodeId)
    : randomExpected()
  if (!(await secretsEqual(token, expected)) || !row || !key) {
    return unknownHook(c)
  }
  // The wait itself knows one key, whichever decision the call makes.
  const callKey = decision ? await resumeToken(key, runId, nodeId) : token
  c.header('Cache-Control', 'no-store')
  if (row.state.kind !== 'waiting') return refused(c, row.state)

  const url = new URL(c.req.url)
  const query = fieldsToObject(url.searchParams.entries())
  if (c.req.method === 'GET') return confirmPage(c, query, row.state.until)

  const raw = await readLimited(c.req.raw, MAX_WEBHOOK_BYTES)
  const body = await parseWebhookBody(c.req.raw, raw)
  const value = {
    ...(decision ? { decision } : {}),
    body,
    query,
    method: c.req.method,
    contentType: c.req.header('content-type') ?? null,
    receivedAt: new Date().toISOString(),
  }
  if (await wakeRun({ DB: c.env.DB, RUNS: c.env.RUNS }, { runId, callKey, value })) {
    if (prefersHtml(c))
      return messagePage(c, 'Answer sent', 'The workflow goes on. You can close this page.')
    return c.json(
      { runId, nodeId, resumed: true, statusUrl: `${url.origin}/api/runs/${runId}` },
      202,
    )
  }
  // Not delivered: another call got there first, the timeout passed meanwhile, or a consumer
  // holds the run for a moment (a timeout being handled): say which.
  const now = await readResumeRow(c.env.DB, runId, nodeId, Date.now())
  return refused(c, now?.state.kind === 'waiting' ? { kind: 'not-yet' } : now!.state)
})

function refused(c: Context, state: Exclude<ResumeState, { kind: 'waiting' }>) {
  // A person who follows a link twice reads a page; a script gets the JSON error.
  if (state.kind === 'over') {
    if (prefersHtml(c)) return messagePage(c, 'This link no longer works', state.message, 410)
    return c.json(errorBody('RESUME_URL_USED', state.message), 410)
  }
  c.header('Retry-After', '1')
  const message =
    'The run is not waiting at this step yet (an earlier step is still running); try again shortly'
  if (prefersHtml(c)) return messagePage(c, 'Not yet', message, 409)
  return c.json(errorBody('RUN_NOT_WAITING_YET', message), 409)
}

/**
 * The run's resume key, made again from the Worker's secret (resume-key.ts); undefined, and
 * logged, when this Worker lacks the key slot it was made with: then no token can be checked.
 */
async function runKey(env: Env, runId: string, stored: string) {
  try {
    return await resumeKeyOf(env, runId, stored)
  } catch (error) {
    logEvent('error', 'resume_key_unavailable', { runId, error: describeError(error) })
    return undefined
  }
}

// Compared against when there is no key, so an unknown run takes as long as a wrong token.
const randomExpected = () => crypto.randomUUID()

const prefersHtml = (c: Context) => /\btext\/html\b/.test(c.req.header('accept') ?? '')
