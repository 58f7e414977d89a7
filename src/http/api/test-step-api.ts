import { z } from '@hono/zod-openapi'
import { readCredential } from '../../credentials/read-credential'
import type { CredentialType } from '../../credentials/types'
import { testStep } from '../../engine/test-step'
import { AutomateError } from '../../errors'
import { findNode } from '../../nodes/registry'
import { getSample } from '../../store/samples'
import { recordStepTest } from '../../store/step-tests'
import { getWorkflow } from '../../store/workflows'
import { type WorkflowNode, workflowSchema } from '../../workflow/definition'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'

export const testStepApi = apiRouter()

const sampleSchema = z.object({
  input: z.unknown().optional(),
  trigger: z.unknown().optional(),
  steps: z.record(z.string(), z.object({ output: z.unknown().optional() })).optional(),
})

const testRequest = z
  .object({
    nodeId: z.string().min(1).max(64).meta({ example: 'notify' }),
    sample: sampleSchema.optional().meta({
      description: "the run input and earlier nodes' outputs; default: the pinned payload",
    }),
    definition: workflowSchema
      .optional()
      .meta({ description: 'an unsaved definition to take the node from (the editor sends it)' }),
  })
  .meta({ id: 'TestStepRequest' })

const testAnswer = z
  .object({
    config: z.record(z.string(), z.unknown()).nullable(),
    output: z.unknown().optional(),
    error: z
      .object({ message: z.string(), code: z.string().optional(), details: z.unknown().optional() })
      .optional(),
    durationMs: z.number().int(),
    testId: z.string().meta({
      description: 'the id of the record this test left (GET /api/workflows/{id}/step-tests)',
    }),
  })
  .meta({ id: 'StepTest' })

const route = apiRoute({
  method: 'post',
  path: '/{id}/test-step',
  summary: 'Run one node alone, recording only its verdict',
  description:
    "Runs the node with the input it would get from the sample (earlier nodes' outputs are taken " +
    'from it, not run again), once, with no retry, and answers its filled-in config and its ' +
    'output or error. No run or step is recorded, so a test shows in no run list, inbox or ' +
    'figure: only its verdict is kept (status, redacted error, duration, version), as the step ' +
    'test `testId`, never its config or output. The node really runs: an app node calls its app.',
  request: { params: z.object({ id: z.string().min(1) }), body: jsonBody(testRequest) },
  responses: {
    200: jsonResponse('The node ran (its error, when it failed, is in the answer)', testAnswer),
    404: errorResponse('No workflow with this id'),
  },
})
testStepApi.openapi(route, async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow)
    throw new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
  const nodes = (body.definition ?? workflow).nodes as WorkflowNode[]
  const index = nodes.findIndex((n) => n.id === body.nodeId)
  if (index < 0) throw badField('nodeId', `no node '${body.nodeId}' in this workflow`)
  if (findNode(nodes[index]!.type)?.pausesRun)
    throw badField(
      'nodeId',
      `a '${nodes[index]!.type}' node pauses its run, so it cannot be tested alone`,
    )
  const sample = body.sample ?? { input: (await getSample(c.env.DB, id))?.input ?? {} }
  const node = nodes[index]!
  const result = await testStep(nodes, index, sample, {
    workflowId: id,
    db: c.env.DB,
    credentials: (name: string, types: readonly CredentialType[]) =>
      readCredential(c.env, name, types),
  })
  const live = workflow.nodes.find((n) => n.id === node.id)
  const testId = await recordStepTest(c.env.DB, {
    workflowId: id,
    nodeId: node.id,
    nodeType: node.type,
    workflowVersion: workflow.version,
    // The editor always sends its text: a draft only when the node differs from the live one.
    draft: body.definition !== undefined && !sameJson(node, live),
    durationMs: result.durationMs,
    error: 'error' in result ? result.error : undefined,
  })
  return c.json({ ...result, testId }, 200)
})

/** Whether two JSON values are equal, whatever order their objects' keys are in. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b))
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (!value || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  )
}

function badField(path: string, message: string) {
  return new AutomateError('VALIDATION_FAILED', `Invalid request: ${path}: ${message}`, {
    status: 400,
    details: [{ path, message }],
  })
}
