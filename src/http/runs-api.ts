import { Hono } from 'hono'
import { z } from 'zod'
import type { Env } from '../env'
import { AutomateError } from '../errors'
import { RUN_STATUSES, getRun, listRuns } from '../store/runs'
import { validationError } from './errors'

export const runsApi = new Hono<{ Bindings: Env }>()

const listQuery = z.object({
  workflowId: z.string().min(1).optional(),
  status: z.enum(RUN_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
})

runsApi.get('/', async (c) => {
  const parsed = listQuery.safeParse(c.req.query())
  if (!parsed.success) throw validationError(parsed.error.issues, ['query'])
  return c.json(await listRuns(c.env.DB, parsed.data))
})

runsApi.get('/:id', async (c) => {
  const run = await getRun(c.env.DB, c.req.param('id'))
  if (!run)
    throw new AutomateError('NOT_FOUND', `Run ${c.req.param('id')} was not found`, { status: 404 })
  return c.json(run)
})
