import { z } from '@hono/zod-openapi'
import {
  credentialInfo,
  deleteCredential,
  insertCredential,
  listCredentials,
  replaceCredential,
  type CredentialInfo,
} from '../../credentials/store'
import {
  CREDENTIAL_DATA,
  CREDENTIAL_NAME,
  CREDENTIAL_TYPES,
  baseUrlSchema,
  needsBaseUrl,
  type CredentialType,
} from '../../credentials/types'
import { AutomateError } from '../../errors'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'
import { validationError } from '../errors'
import { originOf } from '../origin'

export const credentialsApi = apiRouter()

const nameSchema = z
  .string()
  .regex(
    CREDENTIAL_NAME,
    'must be 1-100 letters, digits, ".", "_" or "-", starting with a letter or digit',
  )
  .meta({ example: 'team-notion' })

const typeSchema = z.enum(CREDENTIAL_TYPES as [CredentialType, ...CredentialType[]])

const BASE_URL_NEEDED =
  'required for the http-* types (bearer, basic, header, query, oauth2-client): the credential is sent only under it'

// One object per type, so a bad field is named by its full path (`data.token`) and the OpenAPI
// document shows what each type's `data` holds.
const createSchema = z
  .discriminatedUnion(
    'type',
    CREDENTIAL_TYPES.map((type) =>
      z
        .object({
          name: nameSchema,
          type: z.literal(type),
          data: CREDENTIAL_DATA[type],
          // An http-* credential has no official API: its baseUrl is the only place it is sent.
          baseUrl: needsBaseUrl(type)
            ? baseUrlSchema.describe(BASE_URL_NEEDED)
            : baseUrlSchema.optional(),
        })
        .strict(),
    ) as unknown as [z.ZodObject, ...z.ZodObject[]],
  )
  .meta({ id: 'NewCredential' })

// The type is the stored one, so `data` is checked in the handler against that type's schema.
const replaceSchema = z
  .object({
    name: nameSchema.optional().describe('the name in the path, or left out'),
    type: typeSchema.optional().describe('the stored type, or left out: it cannot change'),
    data: z.record(z.string(), z.unknown()),
    baseUrl: baseUrlSchema.optional(),
  })
  .strict()
  .meta({ id: 'CredentialReplacement' })

export const credentialSchema = z
  .object({
    name: z.string(),
    type: typeSchema,
    baseUrl: z.string().optional(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    connection: z
      .object({
        status: z.enum(['not_connected', 'connected', 'needs_reconnect']),
        note: z.string().optional(),
        since: z.iso.datetime().optional(),
      })
      .optional()
      .describe('oauth2 only: GET /api/credentials/{name}/connection has the account and scopes'),
  })
  .meta({ id: 'Credential' })

const nameParam = z.object({ name: nameSchema })
const notFoundResponse = errorResponse('No credential with this name')

function view(credential: CredentialInfo) {
  const { connection } = credential
  return {
    ...credential,
    createdAt: new Date(credential.createdAt).toISOString(),
    updatedAt: new Date(credential.updatedAt).toISOString(),
    ...(connection
      ? {
          connection: {
            ...connection,
            since: connection.since ? new Date(connection.since).toISOString() : undefined,
          },
        }
      : {}),
  }
}

function notFound(name: string) {
  return new AutomateError('NOT_FOUND', `Credential ${name} was not found`, { status: 404 })
}

function fieldError(path: string, message: string, input: unknown) {
  return validationError([{ code: 'custom', path: [path], message, input }])
}

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'List credentials: names, types and times, never their data',
  responses: {
    200: jsonResponse('Every credential', z.object({ credentials: z.array(credentialSchema) })),
  },
})
credentialsApi.openapi(list, async (c) => {
  const credentials = await listCredentials(c.env.DB)
  return c.json({ credentials: credentials.map(view) }, 200)
})

const create = apiRoute({
  method: 'post',
  path: '/',
  summary: 'Store a credential (its data is encrypted under ENCRYPTION_KEY)',
  request: { body: jsonBody(createSchema) },
  responses: {
    201: jsonResponse('Stored', credentialSchema),
    409: errorResponse('A credential with this name exists'),
    503: errorResponse('ENCRYPTION_KEY is not set (ENCRYPTION_KEY_MISSING)'),
  },
})
credentialsApi.openapi(create, async (c) => {
  const input = c.req.valid('json') as {
    name: string
    type: CredentialType
    data: unknown
    baseUrl?: string
  }
  const created = await insertCredential(c.env.DB, c.env, input)
  const origin = originOf(c)
  c.header('Location', `${origin}/api/credentials/${encodeURIComponent(input.name)}`)
  return c.json(view(created), 201)
})

const read = apiRoute({
  method: 'get',
  path: '/{name}',
  summary: 'Read one credential: name, type and times, never its data',
  request: { params: nameParam },
  responses: { 200: jsonResponse('The credential', credentialSchema), 404: notFoundResponse },
})
credentialsApi.openapi(read, async (c) => {
  const { name } = c.req.valid('param')
  const found = await credentialInfo(c.env.DB, name)
  if (!found) throw notFound(name)
  return c.json(view(found), 200)
})

const replace = apiRoute({
  method: 'put',
  path: '/{name}',
  summary: 'Replace the data and base URL of a credential (its type stays)',
  request: { params: nameParam, body: jsonBody(replaceSchema) },
  responses: {
    200: jsonResponse('Replaced', credentialSchema),
    404: notFoundResponse,
    503: errorResponse('ENCRYPTION_KEY is not set (ENCRYPTION_KEY_MISSING)'),
  },
})
credentialsApi.openapi(replace, async (c) => {
  const { name } = c.req.valid('param')
  const body = c.req.valid('json')
  const existing = await credentialInfo(c.env.DB, name)
  if (!existing) throw notFound(name)
  if (body.name !== undefined && body.name !== name)
    throw fieldError('name', `must be ${name} (the name in the path) or left out`, body.name)
  if (body.type !== undefined && body.type !== existing.type) {
    throw fieldError(
      'type',
      `cannot change from ${existing.type}: delete the credential and create it again`,
      body.type,
    )
  }
  // Workflows were checked against the stored type when they were saved, so it stays.
  const data = CREDENTIAL_DATA[existing.type].safeParse(body.data)
  if (!data.success) throw validationError(data.error.issues, ['data'])
  if (body.baseUrl === undefined && needsBaseUrl(existing.type))
    throw fieldError('baseUrl', BASE_URL_NEEDED, body.baseUrl)
  const replaced = await replaceCredential(c.env.DB, c.env, {
    name,
    type: existing.type,
    data: data.data,
    baseUrl: body.baseUrl,
  })
  if (!replaced) throw notFound(name)
  return c.json(view(replaced), 200)
})

const remove = apiRoute({
  method: 'delete',
  path: '/{name}',
  summary: 'Delete a credential; steps naming it then fail with CREDENTIAL_NOT_FOUND',
  request: { params: nameParam },
  responses: { 204: { description: 'Deleted' }, 404: notFoundResponse },
})
credentialsApi.openapi(remove, async (c) => {
  const { name } = c.req.valid('param')
  if (!(await deleteCredential(c.env.DB, name))) throw notFound(name)
  return c.body(null, 204)
})
