import { z } from '@hono/zod-openapi'
import { AutomateError } from '../../errors'
import { describeNode, findNode, listNodes } from '../../nodes/registry'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

export const nodesApi = apiRouter()

const nodeSchema = z
  .object({
    type: z.string().meta({ example: 'transform' }),
    title: z.string(),
    description: z.string(),
    app: z
      .string()
      .optional()
      .meta({ description: 'the app it calls; absent for a built-in node' }),
    credentialTypes: z.array(z.string()).meta({ description: 'what `config.credential` may name' }),
    effectful: z.boolean().meta({ description: 'false when it has no effect outside the run' }),
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

const one = apiRoute({
  method: 'get',
  path: '/{type}',
  summary: 'One node type, with the JSON Schema of its config',
  request: { params: z.object({ type: z.string().min(1).meta({ example: 'discord-message' }) }) },
  responses: {
    200: jsonResponse('The node type', nodeSchema),
    404: errorResponse('No node of this type'),
  },
})
nodesApi.openapi(one, (c) => {
  const { type } = c.req.valid('param')
  const node = findNode(type)
  if (!node) throw new AutomateError('NOT_FOUND', `No node type '${type}'`, { status: 404 })
  return c.json(describeNode(node), 200)
})
