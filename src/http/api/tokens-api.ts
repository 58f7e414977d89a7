import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { randomToken } from '../../lib/ids'
import {
  SCOPES,
  deleteToken,
  hashToken,
  insertToken,
  listTokens,
  type ApiToken,
} from '../../store/api-tokens'
import { getWorkflow } from '../../store/workflows'
import { validationError } from '../errors'
import { API_TOKEN_PREFIX } from './admin-auth'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'

// Scoped API tokens for scripts and AI agents (issue 23): what each may do is its scopes
// (src/http/api/route-scopes.ts); the token itself is shown once, in the answer that creates it.
export const tokensApi = apiRouter()

const scopeSchema = z.enum(SCOPES).meta({
  description:
    'read: workflows, runs, nodes; run: start, replay and resume runs; write: create and edit ' +
    'workflows; admin: everything, as ADMIN_TOKEN',
})

const newTokenSchema = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ example: 'claude-desktop' }),
    scopes: z.array(scopeSchema).min(1, 'a token needs at least one scope').max(SCOPES.length),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'when the token stops working; absent: never' }),
    workflows: z
      .array(z.string().min(1).max(100))
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'the only workflows it may run and see as MCP tools; absent: all' }),
  })
  .strict()
  .meta({ id: 'NewApiToken' })

const tokenInfoSchema = z
  .object({
    id: z.string().meta({ example: 'tok_Xk2mL9pQ0aBc' }),
    name: z.string(),
    scopes: z.array(scopeSchema),
    workflows: z.array(z.string()).optional(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().optional(),
    expiresAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'ApiToken' })

const createdSchema = tokenInfoSchema
  .safeExtend({
    token: z.string().meta({
      description: 'the token, shown this once: send it as Authorization: Bearer <token>',
    }),
  })
  .meta({ id: 'NewApiTokenCreated' })

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString())

export function publicToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    ...(token.workflows ? { workflows: token.workflows } : {}),
    createdAt: iso(token.createdAt)!,
    ...(token.lastUsedAt ? { lastUsedAt: iso(token.lastUsedAt) } : {}),
    ...(token.expiresAt ? { expiresAt: iso(token.expiresAt) } : {}),
  }
}

function fieldError(path: (string | number)[], message: string) {
  return validationError([{ code: 'custom', path, message, input: undefined }])
}

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'List API tokens (never the tokens themselves)',
  responses: { 200: jsonResponse('Every token', z.object({ tokens: z.array(tokenInfoSchema) })) },
})
tokensApi.openapi(list, async (c) => {
  const tokens = await listTokens(c.env.DB)
  return c.json({ tokens: tokens.map(publicToken) }, 200)
})

const create = apiRoute({
  method: 'post',
  path: '/',
  summary: 'Create an API token: the answer is the only time it is shown',
  request: { body: jsonBody(newTokenSchema) },
  responses: { 201: jsonResponse('Created', createdSchema) },
})
tokensApi.openapi(create, async (c) => {
  const body = c.req.valid('json')
  const now = Date.now()
  const expiresAt = body.expiresAt === undefined ? undefined : Date.parse(body.expiresAt)
  if (expiresAt !== undefined && expiresAt <= now) throw fieldError(['expiresAt'], 'is in the past')
  const workflows = body.workflows ? [...new Set(body.workflows)] : undefined
  for (const [index, id] of (workflows ?? []).entries()) {
    if (!(await getWorkflow(c.env.DB, id))) {
      throw fieldError(['workflows', index], `no workflow with id ${id}`)
    }
  }
  // 32 random bytes: 256 bits, so the stored SHA-256 cannot be searched back to the token.
  const secret = `${API_TOKEN_PREFIX}${randomToken(32)}`
  const token: ApiToken = {
    id: `tok_${randomToken(12)}`,
    name: body.name,
    scopes: [...new Set(body.scopes)],
    ...(workflows ? { workflows } : {}),
    createdAt: now,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  }
  await insertToken(c.env.DB, token, await hashToken(secret))
  c.header('Cache-Control', 'no-store')
  return c.json({ ...publicToken(token), token: secret }, 201)
})

const revoke = apiRoute({
  method: 'delete',
  path: '/{id}',
  summary: 'Revoke an API token: it answers 401 from now on',
  request: { params: z.object({ id: z.string().min(1) }) },
  responses: { 204: { description: 'Revoked' }, 404: errorResponse('No token with this id') },
})
tokensApi.openapi(revoke, async (c) => {
  const { id } = c.req.valid('param')
  if (!(await deleteToken(c.env.DB, id))) {
    throw new AutomateError('NOT_FOUND', `API token ${id} was not found`, { status: 404 })
  }
  return c.body(null, 204)
})
