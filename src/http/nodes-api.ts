import { Hono } from 'hono'
import type { Env } from '../env'
import { describeNode, listNodes } from '../nodes/registry'

export const nodesApi = new Hono<{ Bindings: Env }>()

// The catalogue only changes with a deploy, so it is built once per isolate.
let catalogue: ReturnType<typeof describeNode>[] | undefined

nodesApi.get('/', (c) => {
  catalogue ??= listNodes().map(describeNode)
  return c.json({ nodes: catalogue })
})
