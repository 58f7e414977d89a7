import { AutomateError } from '../../errors'
import { discardDraft, getDraft } from '../../store/drafts'
import { forgetWorkflow } from '../../store/workflow-cache'
import { getWorkflow, replaceWorkflow } from '../../store/workflows'
import { originOf } from '../origin'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'
import {
  checkSave,
  idParam,
  notFound,
  publicWorkflow,
  savedWorkflowSchema,
  withWarnings,
  workflowNotFound,
} from './workflows-api'

/** Publishing and discarding a workflow's draft (saved by PUT /api/workflows/:id?draft=true). */
export const draftsApi = apiRouter()

function noDraft(id: string) {
  return new AutomateError('NO_DRAFT', `Workflow ${id} has no draft to publish`, {
    status: 409,
    details: { workflowId: id },
  })
}

const publish = apiRoute({
  method: 'post',
  path: '/{id}/publish',
  summary: "Publish the workflow's draft as its new live version",
  description:
    'Exactly a PUT of the draft: the save-time checks run again (a credential or a tool name ' +
    'may have changed since the draft was saved), a new version number, schedules and polls ' +
    'follow it, and the draft is removed.',
  request: { params: idParam },
  responses: {
    200: jsonResponse('The new version', savedWorkflowSchema),
    404: notFound,
    409: errorResponse('NO_DRAFT: the workflow has no draft'),
  },
})
draftsApi.openapi(publish, async (c) => {
  const { id } = c.req.valid('param')
  const draft = await getDraft(c.env.DB, id)
  if (!draft) {
    if (!(await getWorkflow(c.env.DB, id))) throw workflowNotFound(id)
    throw noDraft(id)
  }
  const { definition, savedAt } = draft
  const missing = await checkSave(c.env.DB, definition, id)
  const updated = await replaceWorkflow(c.env.DB, id, definition, { publishedDraft: savedAt })
  if (!updated) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.json(withWarnings(publicWorkflow(updated, originOf(c)), definition, missing), 200)
})

const discard = apiRoute({
  method: 'delete',
  path: '/{id}/draft',
  summary: "Discard the workflow's draft",
  description: 'The live version stays as it is. 204 also when there was no draft.',
  request: { params: idParam },
  responses: { 204: { description: 'Discarded' }, 404: notFound },
})
draftsApi.openapi(discard, async (c) => {
  const { id } = c.req.valid('param')
  if (!(await discardDraft(c.env.DB, id)) && !(await getWorkflow(c.env.DB, id)))
    throw workflowNotFound(id)
  return c.body(null, 204)
})
