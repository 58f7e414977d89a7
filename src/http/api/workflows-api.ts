import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { AutomateError } from '../../errors'
import { type WorkflowDefinition, workflowSchema } from '../../workflow/definition'
import { secretWarnings } from '../../workflow/secret-warnings'
import { type MissingCredential, checkWorkflowCredentials } from '../../credentials/check-workflow'
import { missingCredentialWarnings } from '../../workflow/credential-warnings'
import { checkPollCredential } from '../../polls/check-credential'
import { forgetWorkflow } from '../../store/workflow-cache'
import { type Draft, draftTimes, getDraft, saveDraft } from '../../store/drafts'
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  replaceWorkflow,
  rotateHookToken,
  type StoredWorkflow,
} from '../../store/workflows'
import { acceptRun, acceptedResponse, acceptedSchema } from '../accept-run'
import { assertMayRun } from './access'
import { checkToolName } from './check-tool-name'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'
import { originOf } from '../origin'

export const workflowsApi = apiRouter()

export function publicWorkflow(workflow: StoredWorkflow, origin: string) {
  const { hookToken, hookTokenHash: _, createdAt, updatedAt, ...definition } = workflow
  return {
    ...definition,
    // D1 keeps the token's hash: the URL is known only to the answer that made the token.
    webhookUrl: hookToken === undefined ? null : `${origin}/hooks/${workflow.id}/${hookToken}`,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  }
}

/** What the API answers for a workflow: its definition as stored, plus what the server adds. */
export const storedWorkflowSchema = workflowSchema
  .safeExtend({
    id: z.string().meta({ example: 'wf_tKUia42gbwjbGGeG' }),
    version: z.number().int().min(1).meta({ description: 'a new one on every PUT' }),
    webhookUrl: z
      .url()
      .nullable()
      .meta({
        description:
          'POST here to start a run; the token is the auth. Shown only by the answer that creates ' +
          'the workflow or rotates its token (D1 keeps a hash of it): null on every other answer. ' +
          'A sender that can set headers may POST to /hooks/{id} with the token in ' +
          'X-AutomateOS-Token instead',
      }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'StoredWorkflow' })

export const draftSchema = z
  .object({
    definition: workflowSchema,
    savedAt: z.iso.datetime(),
  })
  .meta({
    id: 'WorkflowDraft',
    description:
      'Saved by PUT ?draft=true; webhooks, schedules, polls, MCP tools and runs started by hand ' +
      'keep running the live version until POST /api/workflows/{id}/publish',
  })

/**
 * What GET answers for one workflow: the live version, and its unpublished draft if any. Absent
 * rather than null without one, so that a script that reads a workflow, drops the fields the
 * server adds and PUTs it back keeps working as before drafts existed.
 */
const workflowWithDraftSchema = storedWorkflowSchema
  .safeExtend({ draft: draftSchema.optional().meta({ description: 'absent: no draft' }) })
  .meta({ id: 'WorkflowWithDraft' })

const listedWorkflowSchema = storedWorkflowSchema
  .safeExtend({
    hasDraft: z.boolean().meta({ description: 'it has an unpublished draft (GET it to see it)' }),
  })
  .meta({ id: 'ListedWorkflow' })

/** The `draft` field of an answer: present only when there is one. */
export function withDraft<T>(answer: T, draft: Draft | undefined) {
  if (!draft) return answer
  return {
    ...answer,
    draft: { definition: draft.definition, savedAt: new Date(draft.savedAt).toISOString() },
  }
}

const saveWarningSchema = z
  .object({
    path: z.string().meta({ example: 'nodes.2.config.headers.Authorization' }),
    code: z.enum(['SECRET_IN_CONFIG', 'CREDENTIAL_MISSING']),
    message: z.string(),
  })
  .meta({ id: 'SaveWarning' })

/**
 * A save's answer: the stored workflow and, when there are any, what looked wrong without
 * stopping the save. Without warnings it is exactly what GET answers (a save leaves no draft).
 */
export const savedWorkflowSchema = storedWorkflowSchema
  .safeExtend({
    warnings: z
      .array(saveWarningSchema)
      .optional()
      .meta({
        description:
          'SECRET_IN_CONFIG: config strings that look like secrets (a literal bearer token or ' +
          'Authorization header, a Slack/Discord/Telegram webhook URL, an sk-/xoxb-/ghp_ key): ' +
          'saved anyway, but they belong in a credential; templates ({{ }}) are never flagged. ' +
          'CREDENTIAL_MISSING: a config.credential naming no stored credential (with the nearest ' +
          'stored name when there is one); the step fails until it is added. Absent when there ' +
          'is none.',
      }),
  })
  .meta({ id: 'SavedWorkflow' })

/** A draft save's answer: the live workflow unchanged, the draft just saved, its warnings. */
const savedDraftSchema = workflowWithDraftSchema
  .safeExtend({ warnings: savedWorkflowSchema.shape.warnings })
  .meta({ id: 'SavedDraft' })

export function withWarnings<T>(
  answer: T,
  definition: Parameters<typeof secretWarnings>[0],
  missing: MissingCredential[],
) {
  const warnings = [...secretWarnings(definition), ...missingCredentialWarnings(missing)]
  return warnings.length ? { ...answer, warnings } : answer
}

/**
 * The checks every save runs past the schema, live or draft: credentials of the right type
 * (missing ones are answered as warnings), a poll trigger's credential, and a free MCP tool
 * name. Throws a 400 naming the field; answers the missing credentials.
 */
export async function checkSave(db: D1Database, definition: WorkflowDefinition, id?: string) {
  const missing = await checkWorkflowCredentials(db, definition)
  await checkPollCredential(db, definition)
  await checkToolName(db, definition, id)
  return missing
}

export const idParam = z.object({ id: z.string().min(1).meta({ example: 'wf_tKUia42gbwjbGGeG' }) })
export const notFound = errorResponse('No workflow with this id')

export function workflowNotFound(id: string) {
  return new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
}

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'List workflows',
  responses: {
    200: jsonResponse(
      'Every workflow, live versions, each marked when it has a draft',
      z.object({ workflows: z.array(listedWorkflowSchema) }),
    ),
  },
})
workflowsApi.openapi(list, async (c) => {
  const [workflows, drafts] = await Promise.all([listWorkflows(c.env.DB), draftTimes(c.env.DB)])
  return c.json(
    {
      workflows: workflows.map((w) => ({
        ...publicWorkflow(w, originOf(c)),
        hasDraft: drafts.has(w.id),
      })),
    },
    200,
  )
})

const create = apiRoute({
  method: 'post',
  path: '/',
  summary: 'Create a workflow',
  request: { body: jsonBody(workflowSchema) },
  responses: { 201: jsonResponse('Created, as version 1', savedWorkflowSchema) },
})
workflowsApi.openapi(create, async (c) => {
  const definition = c.req.valid('json')
  const missing = await checkSave(c.env.DB, definition)
  const created = await createWorkflow(c.env.DB, definition)
  c.header('Location', `${originOf(c)}/api/workflows/${created.id}`)
  return c.json(withWarnings(publicWorkflow(created, originOf(c)), definition, missing), 201)
})

const read = apiRoute({
  method: 'get',
  path: '/{id}',
  summary: 'Read a workflow',
  request: { params: idParam },
  responses: {
    200: jsonResponse('The live workflow and its draft', workflowWithDraftSchema),
    404: notFound,
  },
})
workflowsApi.openapi(read, async (c) => {
  const { id } = c.req.valid('param')
  const [workflow, draft] = await Promise.all([getWorkflow(c.env.DB, id), getDraft(c.env.DB, id)])
  if (!workflow) throw workflowNotFound(id)
  return c.json(withDraft(publicWorkflow(workflow, originOf(c)), draft), 200)
})

const replace = apiRoute({
  method: 'put',
  path: '/{id}',
  summary: 'Replace a workflow (a new immutable version), or save its draft',
  description:
    'Without ?draft: a new live version, which webhooks, schedules and polls run from now on; ' +
    'an unpublished draft is discarded. With ?draft=true: the body is checked exactly as a ' +
    'save and kept as the draft (replacing an earlier one); the live version and everything ' +
    'that runs it stay as they were until POST /api/workflows/{id}/publish.',
  request: {
    params: idParam,
    query: z.object({
      draft: z
        .enum(['true', 'false'])
        .optional()
        .meta({ description: 'true: save as the unpublished draft' }),
    }),
    body: jsonBody(workflowSchema),
  },
  responses: {
    200: jsonResponse(
      'The new version; with ?draft=true, the live workflow unchanged and its new draft',
      z.union([savedWorkflowSchema, savedDraftSchema]),
    ),
    404: notFound,
  },
})
workflowsApi.openapi(replace, async (c) => {
  const { id } = c.req.valid('param')
  const definition = c.req.valid('json')
  const missing = await checkSave(c.env.DB, definition, id)
  if (c.req.valid('query').draft === 'true') {
    const draft = await saveDraft(c.env.DB, id, definition)
    const workflow = draft && (await getWorkflow(c.env.DB, id))
    if (!workflow) throw workflowNotFound(id)
    const answer = withDraft(publicWorkflow(workflow, originOf(c)), draft)
    return c.json(withWarnings(answer, definition, missing), 200)
  }
  const updated = await replaceWorkflow(c.env.DB, id, definition)
  if (!updated) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.json(withWarnings(publicWorkflow(updated, originOf(c)), definition, missing), 200)
})

const remove = apiRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Delete a workflow (and its draft)',
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, 404: notFound },
})
workflowsApi.openapi(remove, async (c) => {
  const { id } = c.req.valid('param')
  if (!(await deleteWorkflow(c.env.DB, id))) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.body(null, 204)
})

const startRun = apiRoute({
  method: 'post',
  path: '/{id}/runs',
  summary: 'Start a run by hand',
  description:
    'The JSON body (any value; empty means {}) is the run input. It runs even while the workflow is disabled.',
  request: {
    params: idParam,
    body: jsonBody(z.unknown().meta({ description: 'the run input' }), { optional: true }),
  },
  responses: { 202: jsonResponse('Queued', acceptedSchema), 404: notFound },
})
workflowsApi.openapi(startRun, async (c) => {
  const { id } = c.req.valid('param')
  assertMayRun(c.var.access, id)
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) throw workflowNotFound(id)
  const trigger = { type: 'manual' as const, receivedAt: Date.now(), origin: originOf(c) }
  const accepted = await acceptRun(c, workflow, c.req.valid('json'), trigger)
  return acceptedResponse(c, accepted)
})

const rotateToken = apiRoute({
  method: 'post',
  path: '/{id}/rotate-token',
  summary: "Rotate the workflow's webhook token",
  description:
    'Gives the webhook a new URL. The old URL answers 404 from now on (other Worker instances ' +
    'stop accepting it within the ingest cache time, 5 s). Run history and the version stay.',
  request: { params: idParam },
  responses: {
    200: jsonResponse('The workflow with its new webhookUrl', storedWorkflowSchema),
    404: notFound,
  },
})
workflowsApi.openapi(rotateToken, async (c) => {
  const { id } = c.req.valid('param')
  const rotated = await rotateHookToken(c.env.DB, id)
  if (!rotated) throw workflowNotFound(id)
  forgetWorkflow(id)
  return c.json(publicWorkflow(rotated, originOf(c)), 200)
})
