import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { getSample, pinSample } from '../../store/samples'
import { getWorkflow } from '../../store/workflows'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'

export const sampleApi = apiRouter()

const idParam = z.object({ id: z.string().min(1).meta({ example: 'wf_tKUia42gbwjbGGeG' }) })

const sampleSchema = z
  .object({
    pinned: z.boolean().meta({ description: 'false until a payload is pinned' }),
    input: z.unknown().meta({ description: 'the pinned test payload; {} when none is' }),
    updatedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'WorkflowSample' })

const notFound = errorResponse('No workflow with this id')

async function existing(db: D1Database, id: string) {
  if (!(await getWorkflow(db, id)))
    throw new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
}

const answer = (sample: { input: unknown; updatedAt: number } | undefined) =>
  sample
    ? { pinned: true, input: sample.input, updatedAt: new Date(sample.updatedAt).toISOString() }
    : { pinned: false, input: {}, updatedAt: null }

const read = apiRoute({
  method: 'get',
  path: '/{id}/sample',
  summary: "The workflow's pinned test payload",
  description: 'What "Run now" and the editor\'s sample panel start from.',
  request: { params: idParam },
  responses: { 200: jsonResponse('The pinned payload', sampleSchema), 404: notFound },
})
sampleApi.openapi(read, async (c) => {
  const { id } = c.req.valid('param')
  await existing(c.env.DB, id)
  return c.json(answer(await getSample(c.env.DB, id)), 200)
})

const pin = apiRoute({
  method: 'put',
  path: '/{id}/sample',
  summary: "Pin the workflow's test payload",
  request: {
    params: idParam,
    body: jsonBody(
      z.object({ input: z.unknown().meta({ description: 'any JSON, 256 KiB at most' }) }),
    ),
  },
  responses: { 200: jsonResponse('Pinned', sampleSchema), 404: notFound },
})
sampleApi.openapi(pin, async (c) => {
  const { id } = c.req.valid('param')
  const { input } = c.req.valid('json')
  await existing(c.env.DB, id)
  return c.json(answer(await pinSample(c.env.DB, id, input)), 200)
})
