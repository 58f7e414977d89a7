import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { pollNow } from '../../polls/fire-polls'
import { pollOf, resetPollBaseline } from '../../store/polls'
import { getWorkflow } from '../../store/workflows'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

// A workflow's poll trigger (issue 22): its state, one poll now, and starting again from now.
// Mounted under /api/workflows.
export const pollsApi = apiRouter()

const idParam = z.object({ id: z.string().min(1).meta({ example: 'wf_tKUia42gbwjbGGeG' }) })
const time = z.iso.datetime()
const notActive = errorResponse('The workflow has no active poll trigger (not poll, or disabled)')

const pollStateSchema = z
  .object({
    source: z.string(),
    every: z.number().int().meta({ description: 'milliseconds between polls' }),
    cursor: z.unknown().meta({ description: "the source's cursor; null before the baseline" }),
    baselineTaken: z.boolean(),
    lastPollAt: time.nullable(),
    lastFound: z.number().int().nullable().meta({ description: 'new items the last poll found' }),
    lastStarted: z.number().int().nullable(),
    nextPollAt: time,
    failures: z.number().int().meta({ description: 'failed polls in a row' }),
    lastError: z.object({ message: z.string(), code: z.string().optional() }).nullable(),
    inboxRunId: z
      .string()
      .nullable()
      .meta({ description: 'the failed run that put this failure streak in the inbox' }),
  })
  .meta({ id: 'PollState' })

const pollReportSchema = z
  .object({
    workflowId: z.string(),
    source: z.string(),
    baseline: z
      .boolean()
      .meta({ description: 'this was the first poll: it recorded the baseline' }),
    found: z.number().int(),
    started: z.array(z.object({ runId: z.string(), itemId: z.string() })),
    alreadyStarted: z
      .array(z.string())
      .meta({ description: 'item ids an earlier run owns (their dedupe key): not started again' }),
    left: z.number().int().meta({ description: 'items beyond maxItems, left for the next poll' }),
    recorded: z
      .boolean()
      .meta({ description: 'false: another poll or an edit recorded first; nothing started' }),
    nextPollAt: time,
  })
  .meta({ id: 'PollReport' })

async function requireWorkflow(db: D1Database, id: string) {
  if (!(await getWorkflow(db, id))) {
    throw new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
  }
}

function notPolled(id: string) {
  return new AutomateError(
    'POLL_NOT_ACTIVE',
    `Workflow ${id} has no active poll trigger (its trigger is not "poll", or it is disabled)`,
    { status: 409, retryable: false },
  )
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const state = apiRoute({
  method: 'get',
  path: '/{id}/poll',
  summary: "A workflow's poll trigger: cursor, last and next poll, failures",
  request: { params: idParam },
  responses: {
    200: jsonResponse('The poll state', pollStateSchema),
    404: errorResponse('No workflow with this id'),
    409: notActive,
  },
})
pollsApi.openapi(state, async (c) => {
  const { id } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  const row = await pollOf(c.env.DB, id)
  if (!row) throw notPolled(id)
  return c.json(
    {
      source: row.source,
      every: row.every_ms,
      cursor: row.cursor === null ? null : JSON.parse(row.cursor),
      baselineTaken: row.cursor !== null,
      lastPollAt: iso(row.last_poll_at),
      lastFound: row.last_found,
      lastStarted: row.last_started,
      nextPollAt: iso(row.next_poll_at)!,
      failures: row.failures,
      lastError: row.last_error === null ? null : JSON.parse(row.last_error),
      inboxRunId: row.failed_run_id,
    },
    200,
  )
})

const poll = apiRoute({
  method: 'post',
  path: '/{id}/poll',
  summary: 'Poll now',
  description:
    "Runs one poll of the workflow's poll trigger at once, whatever its next time: the first " +
    'records the baseline. Answers what it found and which runs it started (one per new item). ' +
    "A source that fails answers its error (502 for the app's, 4xx for a bad config or " +
    "credential); the failure is counted as a scheduled poll's would be.",
  request: { params: idParam },
  responses: {
    200: jsonResponse('What the poll found and started', pollReportSchema),
    404: errorResponse('No workflow with this id'),
    409: notActive,
    502: errorResponse('The source failed: its error'),
  },
})
pollsApi.openapi(poll, async (c) => {
  const { id } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  return c.json(await pollNow(c.env, id), 200)
})

const reset = apiRoute({
  method: 'post',
  path: '/{id}/poll/reset',
  summary: 'Reset the baseline',
  description:
    'Starts again from now: the next poll (the next tick, or POST /poll) records a new baseline ' +
    'and starts nothing, whatever processExisting says; the failure count is cleared.',
  request: { params: idParam },
  responses: {
    200: jsonResponse('Reset', z.object({ reset: z.literal(true) })),
    404: errorResponse('No workflow with this id'),
    409: notActive,
  },
})
pollsApi.openapi(reset, async (c) => {
  const { id } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  if (!(await resetPollBaseline(c.env.DB, id, Date.now()))) throw notPolled(id)
  return c.json({ reset: true as const }, 200)
})
