import { z } from '@hono/zod-openapi'
import { describePollTrigger, listPollTriggers } from '../../triggers/registry'
import { apiRoute, apiRouter, jsonResponse } from './api-router'

// The polling triggers a workflow's `{ "type": "poll", "source": … }` may name, with the JSON
// Schema of their config: what an editor builds the trigger's form from, as /api/nodes for nodes.
export const triggersApi = apiRouter()

const triggerSchema = z
  .object({
    type: z.string().meta({ example: 'http-poll' }),
    title: z.string(),
    description: z.string(),
    credentialTypes: z.array(z.string()),
    configSchema: z
      .record(z.string(), z.unknown())
      .meta({ description: "JSON Schema of the poll trigger's `config`" }),
  })
  .meta({ id: 'PollTriggerType' })

const list = apiRoute({
  method: 'get',
  path: '/',
  summary: 'The polling trigger catalogue',
  responses: {
    200: jsonResponse(
      "Every polling trigger (a poll trigger's `source`)",
      z.object({ triggers: z.array(triggerSchema) }),
    ),
  },
})
triggersApi.openapi(list, (c) =>
  c.json({ triggers: listPollTriggers().map(describePollTrigger) }, 200),
)
