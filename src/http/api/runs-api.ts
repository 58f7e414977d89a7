import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { uuidv7Time } from '../../lib/uuidv7-time'
import { DAY_MS, retentionDays } from '../../store/prune-runs'
import { RUN_STATUSES, listRuns } from '../../store/runs'
import { runWithResumeUrls } from '../../engine/resume-tokens'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

export const runsApi = apiRouter()

const time = z.iso.datetime().nullable()
const errorInfo = z
  .object({ message: z.string(), code: z.string().optional(), details: z.unknown().optional() })
  .passthrough()
  .nullable()

const runSummary = {
  id: z.string(),
  workflowId: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(RUN_STATUSES),
  trigger: z.record(z.string(), z.unknown()),
  error: errorInfo,
  createdAt: z.iso.datetime(),
  startedAt: time,
  finishedAt: time,
  replayOf: z
    .string()
    .nullable()
    .meta({ description: 'the run this one replays (POST /api/runs/{id}/replay)' }),
  resumedFrom: z
    .string()
    .nullable()
    .meta({ description: 'the run this one resumes (POST /api/runs/{id}/resume)' }),
}

export const stepSchema = z
  .object({
    index: z.number().int(),
    nodeId: z.string(),
    nodeType: z.string(),
    nodeName: z.string().nullable(),
    status: z.enum(['succeeded', 'failed', 'skipped']),
    input: z.unknown(),
    output: z.unknown(),
    error: errorInfo,
    attempts: z.number().int(),
    startedAt: time,
    finishedAt: time,
    durationMs: z.number().nullable(),
    config: z
      .unknown()
      .describe(
        'The config the node ran with, templates filled in (a list, one per element, for a forEach); null when it had no templates',
      ),
    reusedFrom: z.string().nullable().meta({
      description:
        'a step a resumed run copied from an earlier run instead of calling its node: the id of the run whose node ran',
    }),
  })
  .meta({ id: 'Step' })

export const runSchema = z
  .object({
    ...runSummary,
    input: z.unknown(),
    output: z.unknown(),
    waitingForRetry: z
      .object({
        stepIndex: z.number().int(),
        attemptsSoFar: z.number().int(),
        lastError: z.unknown(),
        nextAttemptAt: z.iso.datetime(),
      })
      .optional(),
    waitingFor: z
      .object({
        stepIndex: z.number().int(),
        nodeId: z.string(),
        for: z.string().meta({ description: 'what the step waits for: delay, webhook' }),
        since: z.iso.datetime(),
        until: z.iso.datetime(),
        acceptsCall: z.boolean(),
        delivered: z.boolean(),
      })
      .optional()
      .meta({ description: 'a step that paused the run (delay, wait for a call)' }),
    resumedBy: z.string().nullable().meta({
      description:
        'the run that resumed this one: a run is resumed once (a second resume answers 409 RUN_ALREADY_RESUMED)',
    }),
    copies: z
      .array(
        z.object({
          id: z.string(),
          kind: z.enum(['resume', 'replay']),
          status: z.enum(RUN_STATUSES),
          createdAt: z.iso.datetime(),
        }),
      )
      .meta({ description: 'the runs made from this one by a resume or a replay, oldest first' }),
    steps: z.array(stepSchema),
  })
  .meta({ id: 'Run' })

export const runListSchema = z
  .object({
    runs: z.array(z.object(runSummary)),
    nextCursor: z.string().nullable().meta({ description: 'pass as ?cursor= for the next page' }),
  })
  .meta({ id: 'RunList' })

const listQuery = z.object({
  workflowId: z.string().min(1).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
})

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'List runs, newest first',
  request: { query: listQuery },
  responses: { 200: jsonResponse('A page of runs', runListSchema) },
})
runsApi.openapi(list, async (c) => c.json(await listRuns(c.env.DB, c.req.valid('query')), 200))

const read = apiRoute({
  method: 'get',
  path: '/{id}',
  summary: 'Read a run with its steps',
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: {
    200: jsonResponse('The run', runSchema),
    404: errorResponse('No run with this id, or it was deleted by retention (RETENTION_DAYS)'),
  },
})
runsApi.openapi(read, async (c) => {
  const { id } = c.req.valid('param')
  const run = await runWithResumeUrls(c.env.DB, c.env, id)
  if (!run) throw runNotFound(id, retentionDays(c.env))
  return c.json(run, 200)
})

/** Runs are deleted after RETENTION_DAYS: an id that old says so instead of a bare "not found". */
export function runNotFound(id: string, days: number) {
  const createdAt = uuidv7Time(id)
  const pruned = days > 0 && createdAt !== undefined && createdAt < Date.now() - days * DAY_MS
  const message = pruned
    ? `Run ${id} was not found: it is more than ${days} days old, and finished runs are deleted ${days} days after they finish (RETENTION_DAYS)`
    : `Run ${id} was not found`
  return new AutomateError('NOT_FOUND', message, {
    status: 404,
    ...(pruned ? { details: { retentionDays: days } } : {}),
  })
}
