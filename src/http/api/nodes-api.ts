import { z } from '@hono/zod-openapi'
import { describeNode, listNodes } from '../../nodes/registry'
import { apiRoute, apiRouter, jsonResponse } from './api-router'

export const nodesApi = apiRouter()

const nodeSchema = z
  .object({
    type: z.string().meta({ example: 'transform' }),
    title: z.string(),
    description: z.string(),
    configSchema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema of the node's `config`" }),
    example: z
      .object({ id: z.string(), type: z.string(), config: z.record(z.string(), z.unknown()) })
      .meta({
        description:
          "A node to paste into a workflow's `nodes`, with a config that saves and runs (the " +
          "node's sample; a credential it names must be added)",
      }),
  })
  .meta({ id: 'NodeType' })

// The catalogue only changes with a deploy, so it is built once per isolate.
let catalogue: ReturnType<typeof describeNode>[] | undefined

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'The node catalogue',
  responses: { 200: jsonResponse('Every node type', z.object({ nodes: z.array(nodeSchema) })) },
})
nodesApi.openapi(list, (c) => {
  catalogue ??= listNodes().map(describeNode)
  return c.json({ nodes: catalogue }, 200)
})
