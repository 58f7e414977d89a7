import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { MAX_KEY_CHARS } from '../../store/memory'
import {
  PREVIEW_CHARS,
  clearMemory,
  deleteMemoryKey,
  listMemoryKeys,
} from '../../store/memory-keys'
import { getWorkflow } from '../../store/workflows'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

// A workflow's memory between runs (memory-set, memory-increment, dedupe write it): what it
// holds, and deleting keys by hand. Mounted under /api/workflows. A shared namespace is not here.
export const memoryApi = apiRouter()

const idParam = z.object({ id: z.string().min(1).meta({ example: 'wf_tKUia42gbwjbGGeG' }) })
const keyParam = idParam.extend({
  key: z
    .string()
    .min(1)
    .max(MAX_KEY_CHARS)
    .meta({ description: 'the key, URL-encoded', example: 'customer:42' }),
})
const notFound = errorResponse('No workflow with this id')
const time = z.iso.datetime()

const memoryKeySchema = z
  .object({
    key: z.string(),
    size: z.number().int().meta({ description: "UTF-8 bytes of the value's JSON" }),
    preview: z.string().meta({
      description: `the start of the value's JSON, at most ${PREVIEW_CHARS} characters`,
    }),
    updatedAt: time,
    expiresAt: time.nullable().meta({ description: 'null: kept until deleted' }),
  })
  .meta({ id: 'MemoryKey' })

async function requireWorkflow(db: D1Database, id: string) {
  if (!(await getWorkflow(db, id))) {
    throw new AutomateError('NOT_FOUND', `Workflow ${id} was not found`, { status: 404 })
  }
}

const iso = (ms: number) => new Date(ms).toISOString()

const list = apiRoute({
  method: 'get',
  path: '/{id}/memory',
  summary: "List a workflow's memory keys",
  description:
    "The keys the workflow's memory nodes stored in its own namespace and that have not " +
    "expired, in key order, with each value's size and the start of its JSON. A namespace " +
    'named `shared:<name>` belongs to no workflow and is not listed.',
  request: {
    params: idParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional().meta({ description: 'nextCursor of the page before' }),
    }),
  },
  responses: {
    200: jsonResponse(
      'The keys, and nextCursor when there are more',
      z.object({ keys: z.array(memoryKeySchema), nextCursor: z.string().nullable() }),
    ),
    404: notFound,
  },
})
memoryApi.openapi(list, async (c) => {
  const { id } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  const { keys, nextCursor } = await listMemoryKeys(c.env.DB, id, c.req.valid('query'), Date.now())
  const shown = keys.map((k) => ({
    ...k,
    updatedAt: iso(k.updatedAt),
    expiresAt: k.expiresAt === null ? null : iso(k.expiresAt),
  }))
  return c.json({ keys: shown, nextCursor }, 200)
})

const clear = apiRoute({
  method: 'delete',
  path: '/{id}/memory',
  summary: "Clear a workflow's memory",
  description: 'Deletes every key of its own namespace (shared ones stay).',
  request: { params: idParam },
  responses: {
    200: jsonResponse(
      'Cleared',
      z.object({ deleted: z.number().int().meta({ description: 'keys that were live' }) }),
    ),
    404: notFound,
  },
})
memoryApi.openapi(clear, async (c) => {
  const { id } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  return c.json({ deleted: await clearMemory(c.env.DB, id, Date.now()) }, 200)
})

const remove = apiRoute({
  method: 'delete',
  path: '/{id}/memory/{key}',
  summary: "Delete one key of a workflow's memory",
  description: 'A later memory-get sees it as missing; a dedupe lets the next run with it through.',
  request: { params: keyParam },
  responses: {
    204: { description: 'Deleted' },
    404: errorResponse('No workflow with this id, or no such key (or it expired)'),
  },
})
memoryApi.openapi(remove, async (c) => {
  const { id, key } = c.req.valid('param')
  await requireWorkflow(c.env.DB, id)
  if (!(await deleteMemoryKey(c.env.DB, id, key, Date.now()))) {
    throw new AutomateError('NOT_FOUND', `Workflow ${id} has no memory key ${key}`, {
      status: 404,
    })
  }
  return c.body(null, 204)
})
