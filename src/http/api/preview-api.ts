import { z } from '@hono/zod-openapi'
import { MAX_NODES } from '../../workflow/definition'
import { nextFires } from '../../schedules/next-fires'
import { previewWorkflow } from '../../workflow/preview'
import { apiRoute, apiRouter, jsonBody, jsonResponse } from './api-router'

export const previewApi = apiRouter()

// A definition being edited: only what a preview reads is checked, so a half-made workflow
// (a node without its required fields yet) still previews.
const draftNode = z
  .object({
    id: z.string().max(64),
    type: z.string().max(100),
    config: z.record(z.string(), z.unknown()).optional(),
    if: z.string().max(10_000).optional(),
    forEach: z.string().max(10_000).optional(),
  })
  .passthrough()

const previewRequest = z
  .object({
    definition: z
      .object({
        trigger: z.record(z.string(), z.unknown()).optional(),
        nodes: z.array(draftNode).max(MAX_NODES),
      })
      .passthrough(),
    sample: z
      .object({
        input: z.unknown().optional().meta({ description: "the run's input" }),
        trigger: z.unknown().optional(),
        steps: z
          .record(z.string(), z.object({ output: z.unknown().optional() }))
          .optional()
          .meta({
            description: 'each earlier node\'s output, by node id: { "shape": { "output": … } }',
          }),
      })
      .default({}),
  })
  .meta({ id: 'PreviewRequest' })

const fieldResult = z.object({
  path: z.string().meta({ example: 'nodes.1.config.content' }),
  value: z.unknown().optional(),
  error: z.string().optional().meta({ description: 'why the template failed, in words' }),
})

const previewAnswer = z
  .object({
    nodes: z.array(
      z.object({
        id: z.string(),
        config: z
          .record(z.string(), z.unknown())
          .optional()
          .meta({ description: 'the filled-in config; absent when a template in it fails' }),
        fields: z.array(fieldResult),
      }),
    ),
    nextFires: z
      .union([
        z.object({ ok: z.literal(true), times: z.array(z.string()) }),
        z.object({ ok: z.literal(false), field: z.string(), message: z.string() }),
      ])
      .optional()
      .meta({ description: "a schedule trigger's next five fire times, or why it has none" }),
  })
  .meta({ id: 'Preview' })

const preview = apiRoute({
  method: 'post',
  path: '/preview',
  summary: "Fill a definition's templates in from a sample, running nothing",
  description:
    "Each node's templates, `if` and `forEach` evaluated against `sample` (the run's input and " +
    "earlier nodes' outputs by id), as the editor shows them: per field the value or the error " +
    'in words. A schedule trigger gets its next five fire times. Nothing is saved or run.',
  request: { body: jsonBody(previewRequest) },
  responses: { 200: jsonResponse('Each node, previewed', previewAnswer) },
})
previewApi.openapi(preview, async (c) => {
  const { definition, sample } = c.req.valid('json')
  const preview = await previewWorkflow(definition, sample)
  const trigger = definition.trigger
  if (trigger?.type !== 'schedule' || typeof trigger.cron !== 'string') return c.json(preview, 200)
  const zone = typeof trigger.timezone === 'string' ? trigger.timezone : undefined
  return c.json({ ...preview, nextFires: nextFires(trigger.cron, zone) }, 200)
})
