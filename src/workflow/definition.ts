import { z } from 'zod'
import { jsonataSource } from '../lib/jsonata'
import { getNode, hasNode } from '../nodes/registry'

export const NODE_ID = /^[a-z][a-z0-9_-]{0,63}$/
export const DEFAULT_NODE_TIMEOUT_MS = 30_000
export const MAX_NODES = 500

const onError = z.enum(['stop', 'continue'])

const retry = z
  .object({
    maxAttempts: z.number().int().min(1).max(10).default(1),
    delayMs: z
      .number()
      .int()
      .min(0)
      .max(12 * 3600_000)
      .default(1000),
    backoff: z.enum(['fixed', 'exponential']).default('fixed'),
    maxDelayMs: z
      .number()
      .int()
      .min(0)
      .max(12 * 3600_000)
      .optional(),
  })
  .strict()

const nodeSchema = z
  .object({
    id: z.string().regex(NODE_ID, 'must match ^[a-z][a-z0-9_-]{0,63}$'),
    type: z.string().min(1),
    name: z.string().min(1).max(200).optional(),
    config: z.record(z.string(), z.unknown()).default({}),
    onError: onError.optional(),
    retry: retry.optional(),
    timeoutMs: z.number().int().min(1).max(600_000).optional(),
  })
  .strict()

const dedupe = z
  .object({
    header: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('a delivery id header, e.g. X-GitHub-Delivery'),
    path: jsonataSource().optional().describe('a JSONata path into the body, e.g. id'),
  })
  .strict()
  .refine((d) => d.header || d.path, 'give a header or a path')

const signature = z
  .object({
    header: z
      .string()
      .min(1)
      .max(100)
      .describe('the header carrying the HMAC, e.g. X-Hub-Signature-256'),
    secret: z
      .string()
      .regex(
        /^[A-Z][A-Z0-9_]{0,63}$/,
        'must be the name of a Worker secret, e.g. GITHUB_WEBHOOK_SECRET',
      )
      .describe('the name of the Worker secret holding the signing key (never the key itself)'),
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: z.string().max(20).default('').describe("text before the digest, e.g. 'sha256='"),
  })
  .strict()

const trigger = z
  .object({
    type: z.literal('webhook'),
    dedupe: dedupe.optional(),
    signature: signature.optional(),
  })
  .strict()

export const workflowSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    trigger: trigger.default({ type: 'webhook' }),
    onError: onError.default('stop'),
    nodes: z.array(nodeSchema).min(1, 'a workflow needs at least one node').max(MAX_NODES),
  })
  .strict()
  .superRefine((workflow, ctx) => {
    const seen = new Map<string, number>()
    workflow.nodes.forEach((node, index) => {
      const first = seen.get(node.id)
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'id'],
          message: `duplicate node id '${node.id}' (also nodes.${first}.id)`,
        })
      } else seen.set(node.id, index)

      if (!hasNode(node.type)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'type'],
          message: `unknown node type '${node.type}'`,
        })
        return
      }
      const parsed = getNode(node.type).config.safeParse(node.config)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({
            code: 'custom',
            path: ['nodes', index, 'config', ...issue.path],
            message: issue.message,
          })
        }
      }
    })
  })
  .meta({
    id: 'Workflow',
    description:
      "A workflow definition: its nodes run in order, each node's input is the previous one's output. Each node's `config` must match its type's `configSchema` (GET /api/nodes).",
  })

export type WorkflowDefinition = z.output<typeof workflowSchema>
export type WorkflowNode = WorkflowDefinition['nodes'][number]
export type RetryPolicy = z.output<typeof retry>
