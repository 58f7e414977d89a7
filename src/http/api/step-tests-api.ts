import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { type StepTestRecord, listStepTests } from '../../store/step-tests'
import { getWorkflow } from '../../store/workflows'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

export const stepTestsApi = apiRouter()

/** The list is for seeing how a node's tests went lately, not an archive. */
const LIST_LIMIT = 50

export const stepTestSchema = z
  .object({
    id: z.string().meta({ description: 'the testId the test answered' }),
    workflowId: z.string(),
    nodeId: z.string(),
    nodeType: z.string(),
    workflowVersion: z.number().int().meta({ description: 'the live version when the test ran' }),
    draft: z.boolean().meta({
      description:
        "true when the node tested was the editor's unsaved or draft text, not that version's",
    }),
    status: z.enum(['succeeded', 'failed']),
    error: z
      .object({ code: z.string().optional(), message: z.string() })
      .nullable()
      .meta({ description: 'redacted, as the test answered it' }),
    durationMs: z.number().int(),
    testedAt: z.iso.datetime(),
  })
  .meta({ id: 'StepTestRecord' })

const route = apiRoute({
  method: 'get',
  path: '/{id}/step-tests',
  summary: "The workflow's latest step tests, newest first",
  description:
    '"Test this step" leaves one record per test: its verdict, never its config or output. ' +
    `At most ${LIST_LIMIT}; each node keeps its newest 20, for RETENTION_DAYS. Step tests are ` +
    'not runs: they are in no run list, inbox or figure.',
  request: {
    params: z.object({ id: z.string().min(1).meta({ example: 'wf_tKUia42gbwjbGGeG' }) }),
    query: z.object({
      nodeId: z.string().min(1).max(64).optional().meta({ description: "only this node's tests" }),
    }),
  },
  responses: {
    200: jsonResponse('The tests, newest first', z.object({ stepTests: z.array(stepTestSchema) })),
    404: errorResponse('No workflow with this id'),
  },
})
stepTestsApi.openapi(route, async (c) => {
  const { id } = c.req.valid('param')
  const { nodeId } = c.req.valid('query')
  if (!(await getWorkflow(c.env.DB, id)))
    throw new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
  const rows = await listStepTests(c.env.DB, id, { nodeId, limit: LIST_LIMIT })
  return c.json({ stepTests: rows.map(stepTestView) }, 200)
})

/** A record as the API and the editor show it. */
export function stepTestView(row: StepTestRecord) {
  return {
    id: row.id,
    workflowId: row.workflowId,
    nodeId: row.nodeId,
    nodeType: row.nodeType,
    workflowVersion: row.workflowVersion,
    draft: row.draft,
    status: row.status,
    error:
      row.status === 'failed'
        ? { ...(row.errorCode ? { code: row.errorCode } : {}), message: row.errorMessage ?? '' }
        : null,
    durationMs: row.durationMs,
    testedAt: new Date(row.testedAt).toISOString(),
  }
}
