import { Hono } from 'hono'
import type { Context } from 'hono'
import type { Env } from '../env'
import { AutomateError } from '../errors'
import { workflowSchema } from '../workflow/definition'
import { forgetWorkflow } from '../store/workflow-cache'
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  replaceWorkflow,
  type StoredWorkflow,
} from '../store/workflows'
import { acceptRun, acceptedResponse } from './accept-run'
import { readJson, readValid } from './read-json'

export const workflowsApi = new Hono<{ Bindings: Env }>()

export function publicWorkflow(workflow: StoredWorkflow, origin: string) {
  const { hookToken, createdAt, updatedAt, ...definition } = workflow
  return {
    ...definition,
    webhookUrl: `${origin}/hooks/${workflow.id}/${hookToken}`,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }
}

const origin = (c: Context) => new URL(c.req.url).origin

function workflowNotFound(id: string) {
  return new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
}

workflowsApi.get('/', async (c) => {
  const workflows = await listWorkflows(c.env.DB)
  return c.json({ workflows: workflows.map((w) => publicWorkflow(w, origin(c))) })
})

workflowsApi.post('/', async (c) => {
  const definition = await readValid(c, workflowSchema)
  const created = await createWorkflow(c.env.DB, definition)
  c.header('Location', `${origin(c)}/api/workflows/${created.id}`)
  return c.json(publicWorkflow(created, origin(c)), 201)
})

workflowsApi.get('/:id', async (c) => {
  const workflow = await getWorkflow(c.env.DB, c.req.param('id'))
  if (!workflow) throw workflowNotFound(c.req.param('id'))
  return c.json(publicWorkflow(workflow, origin(c)))
})

workflowsApi.put('/:id', async (c) => {
  const id = c.req.param('id')
  const definition = await readValid(c, workflowSchema)
  const updated = await replaceWorkflow(c.env.DB, id, definition)
  if (!updated) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.json(publicWorkflow(updated, origin(c)))
})

workflowsApi.delete('/:id', async (c) => {
  const id = c.req.param('id')
  if (!(await deleteWorkflow(c.env.DB, id))) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.body(null, 204)
})

/** A run started by hand, with the JSON body as its input; it runs even while the workflow is disabled. */
workflowsApi.post('/:id/runs', async (c) => {
  const id = c.req.param('id')
  const input = await readJson(c, true)
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) throw workflowNotFound(id)
  const accepted = await acceptRun(c, workflow, input, { type: 'manual', receivedAt: Date.now() })
  return acceptedResponse(c, accepted)
})
