import { z } from 'zod'
import { MAX_QUEUE_DELAY_MS } from '../engine/messages'
import { getNode, hasNode } from '../nodes/registry'
import { mcpToolSchema } from './mcp-tool'
import { triggerSchema } from './trigger'
import { checkNodeTemplates, isTemplated, templatedPaths } from '../templates/check'
import { FOR_EACH_MAX_LIMIT } from '../templates/for-each-list'
import { unknownKeyMessage, unknownKeys } from './unknown-keys'

export const NODE_ID = /^[a-z][a-z0-9_-]{0,63}$/
export const DEFAULT_NODE_TIMEOUT_MS = 30_000
export const MAX_NODES = 500
/** Characters of a workflow's name and of a node's name. */
export const MAX_NAME_LENGTH = 200
/**
 * Characters of a node's config as JSON: room for the largest single field a node takes (an
 * ai-chat prompt of 200 000 characters, a code node's 100 000), and a bound on what every run of
 * the node templates, validates and records.
 */
export const MAX_NODE_CONFIG_CHARS = 256 * 1024

const onError = z.enum(['stop', 'continue'])

const retry = z
  .object({
    maxAttempts: z.number().int().min(1).max(10).default(1),
    delayMs: z.number().int().min(0).max(MAX_QUEUE_DELAY_MS).default(1000),
    backoff: z.enum(['fixed', 'exponential']).default('fixed'),
    maxDelayMs: z.number().int().min(0).max(MAX_QUEUE_DELAY_MS).optional(),
  })
  .strict()

/** Calls per interval: a node's own pace for its forEach, instead of its service's default. */
const rateLimit = z
  .object({
    calls: z.number().int().min(1).max(10_000),
    intervalMs: z.number().int().min(1).max(MAX_QUEUE_DELAY_MS),
  })
  .strict()
  .describe(
    "at most `calls` calls per `intervalMs` across a forEach's elements (default: the app's documented limit)",
  )

const nodeSchema = z
  .object({
    id: z
      .string()
      .regex(
        NODE_ID,
        'must match ^[a-z][a-z0-9_-]{0,63}$ (a lowercase letter, then lowercase letters, digits, _ or -; at most 64 characters)',
      ),
    type: z.string().min(1).max(100),
    name: z
      .string()
      .min(1)
      .max(MAX_NAME_LENGTH)
      .optional()
      .describe('what the run page calls the step (default: its id)'),
    config: z
      .record(z.string(), z.unknown())
      .default({})
      .refine((config) => JSON.stringify(config).length <= MAX_NODE_CONFIG_CHARS, {
        message: `is too large: a node's config may be at most ${MAX_NODE_CONFIG_CHARS} characters of JSON`,
      }),
    onError: onError
      .optional()
      .describe(
        "when the node fails: stop the run, or continue with the next node (default: the workflow's)",
      ),
    retry: retry
      .optional()
      .describe('try a failed node again: attempts in all, the wait between them'),
    rateLimit: rateLimit.optional(),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(600_000)
      .optional()
      .describe('milliseconds one attempt may take (default 30000)'),
    if: z
      .string()
      .min(1)
      .max(10_000)
      .optional()
      .describe('JSONata condition over the template context; false skips the node'),
    forEach: z
      .string()
      .min(1)
      .max(10_000)
      .optional()
      .describe('a template yielding an array: the node runs once per element'),
    forEachLimit: z
      .number()
      .int()
      .min(1)
      .max(FOR_EACH_MAX_LIMIT)
      .optional()
      .describe('most elements forEach may yield (default 1000)'),
  })
  .strict()

export const workflowSchema = z
  .object({
    name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    enabled: z.boolean().default(true),
    trigger: triggerSchema.default({ type: 'webhook' }),
    onError: onError.default('stop'),
    mcp: mcpToolSchema.optional(),
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
      if (node.forEach !== undefined && getNode(node.type).pausesRun) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'forEach'],
          message: `a '${node.type}' node pauses the whole run, so it cannot run once per element`,
        })
      }
      if (node.rateLimit !== undefined && getNode(node.type).pure) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'rateLimit'],
          message: `a '${node.type}' node calls no app, so it has nothing to pace`,
        })
      }
      const verbatim = getNode(node.type).verbatimFields ?? []
      const waitAhead = workflow.nodes
        .slice(index)
        .some((later) => hasNode(later.type) && getNode(later.type).resumable === true)
      for (const issue of checkNodeTemplates(workflow.nodes, index, verbatim, waitAhead)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, ...issue.path],
          message: issue.message,
        })
      }
      for (const unknown of unknownKeys(getNode(node.type).config, node.config)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'config', ...unknown.path],
          message: unknownKeyMessage(unknown),
        })
      }
      const parsed = getNode(node.type).config.safeParse(node.config)
      if (!parsed.success) {
        // A field holding a template is checked once it is filled in, when the node runs.
        const templated = templatedPaths(node.config, verbatim)
        for (const issue of parsed.error.issues) {
          if (isTemplated(issue.path, templated)) continue
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
