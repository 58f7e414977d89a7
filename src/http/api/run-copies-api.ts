import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Env } from '../../env'
import { AutomateError } from '../../errors'
import type { RunOrigin, TriggerInfo } from '../../store/run-model'
import { fitsVersion, resumePoint, rewindToLinkSender } from '../../engine/resume-point'
import { findNode } from '../../nodes/registry'
import { decodePayload } from '../../store/payloads'
import { retentionDays } from '../../store/prune-runs'
import { reuseSteps, selectStepBlobRefs } from '../../store/reused-steps'
import { claimResume, releaseResume, resumeGuard } from '../../store/run-row'
import { readResumedBy, readRunSource, type RunSource } from '../../store/run-source'
import { acceptRun, acceptedResponse, acceptedSchema, type AcceptOptions } from '../accept-run'
import { assertMayRun } from './access'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'
import { runNotFound } from './runs-api'

// Replay and resume: a new run made from an old one's record, through the same accept path as a
// webhook (queue message, run row), with replayOf / resumedFrom saying where it came from.
export const runCopiesApi = apiRouter()

const idParam = z.object({ id: z.string().min(1) })
const notFound = errorResponse('No run with this id, or it was deleted by retention')

const replay = apiRoute({
  method: 'post',
  path: '/{id}/replay',
  summary: 'Replay a run: a new run with the same trigger and input',
  description:
    "The new run starts from the first node, on the workflow's current version, or with " +
    '`?version=original` on the version the old run ran on. It shows `replayOf`.',
  request: {
    params: idParam,
    query: z.object({
      version: z
        .enum(['current', 'original'])
        .default('current')
        .meta({ description: 'the workflow version to run: current (default) or original' }),
    }),
  },
  responses: {
    202: jsonResponse('Queued', acceptedSchema),
    404: notFound,
    409: errorResponse(
      'The workflow was deleted (WORKFLOW_DELETED), or the original version is missing',
    ),
  },
})
runCopiesApi.openapi(replay, async (c) => {
  const { id } = c.req.valid('param')
  const source = await readSource(c, id)
  const original = c.req.valid('query').version === 'original'
  if (original) requireVersion(source)
  const version = original ? source.workflowVersion : source.currentVersion!
  const accepted = await startCopy(c, source, version, { replayOf: source.id })
  return acceptedResponse(c, accepted)
})

const resume = apiRoute({
  method: 'post',
  path: '/{id}/resume',
  summary: 'Resume a failed run from its first failed step',
  description:
    "A new run with the old run's trigger and input, on the version the old run ran on, or " +
    "with `?version=current` on the workflow's current version (the usual reason to resume is " +
    "that the workflow was fixed). The steps before the old run's first failed step are copied " +
    'from its record (each shows `reusedFrom`, the run whose node ran) and their nodes are not ' +
    'called again; the failed step and every later one run. Only a `failed` or ' +
    '`completed_with_errors` run can be resumed, and only once: the old run shows `resumedBy` ' +
    'and leaves the inbox, and a second resume answers 409 `RUN_ALREADY_RESUMED` (a replay ' +
    'stays possible). The new run shows `resumedFrom`.',
  request: {
    params: idParam,
    query: z.object({
      version: z.enum(['original', 'current']).default('original').meta({
        description:
          'the workflow version the rest runs on: original (default, the one the run ran on) or current',
      }),
    }),
  },
  responses: {
    202: jsonResponse('Queued', acceptedSchema),
    404: notFound,
    409: errorResponse(
      'Resumed already (RUN_ALREADY_RESUMED, with details.resumedBy), not ended badly ' +
        '(RUN_NOT_RESUMABLE, with details.status), its reused steps do not fit the current ' +
        'version (RUN_NOT_RESUMABLE), or its workflow was deleted',
    ),
  },
})
runCopiesApi.openapi(resume, async (c) => {
  const { id } = c.req.valid('param')
  const source = await readSource(c, id)
  requireVersion(source)
  if (source.resumedBy) throw alreadyResumed(source.id, source.resumedBy)
  const nodes = source.nodes ?? []
  const point = resumePoint(source, source.steps, nodes.length)
  if (!point.ok) {
    throw new AutomateError('RUN_NOT_RESUMABLE', point.reason, {
      status: 409,
      details: { status: source.status },
    })
  }
  const from = rewindToLinkSender(nodes, point.from, findNode)
  const current = c.req.valid('query').version === 'current'
  const version = current ? source.currentVersion! : source.workflowVersion
  if (version !== source.workflowVersion) {
    const fits = fitsVersion(nodes, source.currentNodes ?? [], from)
    if (!fits.ok) {
      throw new AutomateError(
        'RUN_NOT_RESUMABLE',
        `Run ${source.id} cannot be resumed on version ${version}: ${fits.reason}`,
        { status: 409, details: { status: source.status, version } },
      )
    }
  }
  const db = c.env.DB
  const blobRefs = await selectStepBlobRefs(db, source.id, from)
  const accepted = await startCopy(
    c,
    source,
    version,
    { resumedFrom: source.id },
    {
      rows: (runId, now) => reuseSteps(db, { runId: source.id, blobRefs }, runId, from, now),
      // Two resumes racing: one claim wins in D1, the other writes nothing and answers 409.
      gate: (runId) => ({
        claim: claimResume(db, source.id, runId),
        guard: resumeGuard(source.id),
        release: releaseResume(db, source.id, runId),
        lost: async () => {
          const by = await readResumedBy(db, source.id)
          return by
            ? alreadyResumed(source.id, by)
            : new AutomateError('RUN_NOT_RESUMABLE', `Run ${source.id} cannot be resumed now`, {
                status: 409,
                details: { status: source.status },
              })
        },
      }),
    },
  )
  return acceptedResponse(c, accepted)
})

/** A run is resumed once: a second resume would run its failed step and the rest again. */
function alreadyResumed(runId: string, resumedBy: string) {
  return new AutomateError(
    'RUN_ALREADY_RESUMED',
    `Run ${runId} was resumed already, by run ${resumedBy}: resuming it again would run its ` +
      `failed step and every later one a second time. Follow run ${resumedBy} (resume that one ` +
      'if it failed), or replay this run to run it all again on purpose',
    { status: 409, details: { resumedBy } },
  )
}

/** The run to copy; 404 when unknown, 409 when its workflow is gone. */
async function readSource(c: Context<{ Bindings: Env }>, id: string) {
  const source = await readRunSource(c.env.DB, id)
  if (!source) throw runNotFound(id, retentionDays(c.env))
  assertMayRun(c.var.access, source.workflowId)
  if (source.currentVersion === null) {
    throw new AutomateError(
      'WORKFLOW_DELETED',
      `Run ${id} belongs to workflow ${source.workflowId}, which was deleted: its runs cannot be replayed or resumed`,
      { status: 409 },
    )
  }
  return source
}

/** The version the old run ran on, which a resume and an original replay run on again. */
function requireVersion(source: RunSource) {
  if (source.nodes !== null) return
  throw new AutomateError(
    'WORKFLOW_VERSION_MISSING',
    `Workflow ${source.workflowId} version ${source.workflowVersion}, which run ${source.id} ran on, was not found`,
    { status: 409 },
  )
}

/** Queues the copy with the old run's trigger (as recorded) and input, created now. */
async function startCopy(
  c: Context<{ Bindings: Env }>,
  source: RunSource,
  version: number,
  origin: RunOrigin,
  options: Pick<AcceptOptions, 'rows' | 'gate'> = {},
) {
  const input = await decodePayload(c.env.DB, source.inputText)
  const trigger = JSON.parse(source.triggerText) as TriggerInfo
  const workflow = { id: source.workflowId, version }
  return acceptRun(c, workflow, input, trigger, { createdAt: Date.now(), origin, ...options })
}
