import type { Context } from 'hono'
import { z } from 'zod'
import { checkWorkflowCredentials } from '../../credentials/check-workflow'
import type { Env } from '../../env'
import { AutomateError } from '../../errors'
import type { Scope } from '../../store/api-tokens'
import { workflowSchema } from '../../workflow/definition'
import { validationError } from '../errors'
import { hasScope, type Access } from '../api/access'
import { jsonResult, toolError, type McpToolEntry } from './tool'

/** The app's own fetch: built-in tools go through the /api routes, with the caller's token. */
export type ApiFetch = (
  request: Request,
  env: Env,
  ctx: ExecutionContext,
) => Response | Promise<Response>

type Api = (method: string, path: string, body?: unknown) => Promise<Response>

type BuiltIn = {
  name: string
  title: string
  description: string
  scope: Scope
  readOnly: boolean
  destructive?: boolean
  args: z.ZodObject
  result: z.ZodType
  call(args: Record<string, unknown>, api: Api, c: Context<{ Bindings: Env }>): Promise<unknown>
}

const id = z.string().min(1).max(200)
const loose = z.looseObject({})
const workflowSummary = z.looseObject({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  version: z.number(),
})
const accepted = z.looseObject({ runId: z.string(), statusUrl: z.string() })

// Each tool is one /api route, so it gets that route's checks, scope and answers exactly: the
// token's own scopes decide here as they would there.
const BUILT_INS: BuiltIn[] = [
  {
    name: 'list_workflows',
    title: 'List workflows',
    description: 'Every workflow: id, name, enabled, version, trigger, and its MCP tool if any.',
    scope: 'read',
    readOnly: true,
    args: z.object({}),
    result: z.object({ workflows: z.array(workflowSummary) }),
    async call(_, api) {
      const { workflows } = (await answer(await api('GET', '/api/workflows'))) as {
        workflows: Record<string, unknown>[]
      }
      return {
        workflows: workflows.map(({ id, name, enabled, version, trigger, mcp }) => ({
          id,
          name,
          enabled,
          version,
          trigger,
          ...(mcp ? { tool: (mcp as { tool: string }).tool } : {}),
        })),
      }
    },
  },
  {
    name: 'get_workflow',
    title: 'Get a workflow',
    description: 'One workflow with its full definition (nodes and their config).',
    scope: 'read',
    readOnly: true,
    args: z.object({ id: id.describe('the workflow id (wf_…)') }),
    result: workflowSummary,
    call: async (args, api) => answer(await api('GET', `/api/workflows/${enc(args.id)}`)),
  },
  {
    name: 'list_node_types',
    title: 'List node types',
    description:
      "The node catalogue: each type's title, description and the JSON Schema of its config.",
    scope: 'read',
    readOnly: true,
    args: z.object({}),
    result: z.object({ nodes: z.array(loose) }),
    call: async (_, api) => answer(await api('GET', '/api/nodes')),
  },
  {
    name: 'validate_workflow',
    title: 'Validate a workflow definition',
    description:
      'Runs the checks a save runs (schema, node configs, templates, credentials) without ' +
      'saving: { valid, errors: [{ path, message }] }.',
    scope: 'read',
    readOnly: true,
    args: z.object({ definition: loose.describe('a workflow definition, as save_workflow takes') }),
    result: z.object({
      valid: z.boolean(),
      errors: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
    async call(args, _, c) {
      const parsed = workflowSchema.safeParse(args.definition)
      try {
        if (!parsed.success) throw validationError(parsed.error.issues)
        await checkWorkflowCredentials(c.env.DB, parsed.data)
      } catch (error) {
        if (!(error instanceof AutomateError) || error.code !== 'VALIDATION_FAILED') throw error
        return { valid: false, errors: error.details as { path: string; message: string }[] }
      }
      return { valid: true, errors: [] }
    },
  },
  {
    name: 'save_workflow',
    title: 'Save a workflow',
    description:
      'Creates a workflow (live at once, as version 1), or with `id` saves the definition as ' +
      "that workflow's draft: webhooks, schedules and tools keep running the live version until " +
      'publish_workflow. A second save replaces the draft. A bad definition is refused with ' +
      'each field named; nothing is saved then.',
    scope: 'write',
    readOnly: false,
    destructive: true,
    args: z.object({
      id: id.optional().describe('the workflow to save a draft of; absent: create a new one'),
      definition: loose.describe('the workflow definition (list_node_types for node configs)'),
    }),
    result: workflowSummary,
    call: async (args, api) =>
      answer(
        args.id === undefined
          ? await api('POST', '/api/workflows', args.definition)
          : await api('PUT', `/api/workflows/${enc(args.id)}?draft=true`, args.definition),
      ),
  },
  {
    name: 'publish_workflow',
    title: "Publish a workflow's draft",
    description:
      "Makes the workflow's draft (saved by save_workflow) its new live version, which " +
      'webhooks, schedules and tools run from then on. NO_DRAFT when there is none.',
    scope: 'write',
    readOnly: false,
    destructive: true,
    args: z.object({ id: id.describe('the workflow id (wf_…)') }),
    result: workflowSummary,
    call: async (args, api) => answer(await api('POST', `/api/workflows/${enc(args.id)}/publish`)),
  },
  {
    name: 'start_run',
    title: 'Start a run',
    description: 'Starts a run of a workflow with `input` as its input: { runId, statusUrl }.',
    scope: 'run',
    readOnly: false,
    destructive: true,
    args: z.object({ workflowId: id, input: z.unknown().optional() }),
    result: accepted,
    call: async (args, api) =>
      answer(await api('POST', `/api/workflows/${enc(args.workflowId)}/runs`, args.input ?? {})),
  },
  {
    name: 'get_run',
    title: 'Get a run',
    description: 'One run with its status, input, output, error and every step.',
    scope: 'read',
    readOnly: true,
    args: z.object({ id: id.describe('the run id') }),
    result: z.looseObject({ id: z.string(), status: z.string(), steps: z.array(loose) }),
    call: async (args, api) => answer(await api('GET', `/api/runs/${enc(args.id)}`)),
  },
  {
    name: 'list_failures',
    title: 'List recent failed runs',
    description: 'Failed runs, newest first, optionally of one workflow.',
    scope: 'read',
    readOnly: true,
    args: z.object({
      workflowId: id.optional(),
      limit: z.number().int().min(1).max(200).default(20),
    }),
    result: z.looseObject({ runs: z.array(loose) }),
    async call(args, api) {
      const query = new URLSearchParams({ status: 'failed', limit: String(args.limit) })
      if (args.workflowId) query.set('workflowId', String(args.workflowId))
      return answer(await api('GET', `/api/runs?${query}`))
    },
  },
  {
    name: 'replay_run',
    title: 'Replay a run',
    description:
      'A new run with the same trigger and input, on the current version (or `original`).',
    scope: 'run',
    readOnly: false,
    destructive: true,
    args: z.object({ id, version: z.enum(['current', 'original']).default('current') }),
    result: accepted,
    call: async (args, api) =>
      answer(await api('POST', `/api/runs/${enc(args.id)}/replay?version=${args.version}`)),
  },
  {
    name: 'resume_run',
    title: 'Resume a failed run',
    description:
      "A new run that reuses the old run's steps before its first failed one and runs the rest.",
    scope: 'run',
    readOnly: false,
    destructive: true,
    args: z.object({ id }),
    result: accepted,
    call: async (args, api) => answer(await api('POST', `/api/runs/${enc(args.id)}/resume`)),
  },
]

export const BUILT_IN_NAMES = BUILT_INS.map((b) => b.name)

const enc = (value: unknown) => encodeURIComponent(String(value))

/** An API error becomes a tool error the agent can read (ToolFailure), not a protocol error. */
class ToolFailure extends Error {
  constructor(readonly body: { error: { code: string; message: string; details?: unknown } }) {
    super(body.error.message)
  }
}

async function answer(response: Response): Promise<unknown> {
  const body = response.status === 204 ? null : await response.json()
  if (response.status >= 400) throw new ToolFailure(body as ToolFailure['body'])
  return body
}

function jsonSchemaOf(schema: z.ZodType) {
  // Without $schema: clients validate with their own draft, and the shapes here use no keyword
  // that differs between drafts.
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
  return rest as { type: 'object'; [key: string]: unknown }
}

/** The built-in tools this caller's scopes allow. */
export function builtInTools(
  c: Context<{ Bindings: Env }>,
  access: Access,
  apiFetch: ApiFetch,
): McpToolEntry[] {
  const api: Api = (method, path, body) => {
    const headers = new Headers({ authorization: c.req.header('authorization') ?? '' })
    const ip = c.req.header('cf-connecting-ip')
    if (ip) headers.set('cf-connecting-ip', ip)
    if (body !== undefined) headers.set('content-type', 'application/json')
    const request = new Request(new URL(path, c.req.url), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return Promise.resolve(apiFetch(request, c.env, c.executionCtx as ExecutionContext))
  }
  return BUILT_INS.filter((b) => hasScope(access, b.scope)).map((b) => ({
    tool: {
      name: b.name,
      title: b.title,
      description: b.description,
      inputSchema: jsonSchemaOf(b.args),
      outputSchema: jsonSchemaOf(b.result),
      annotations: {
        title: b.title,
        readOnlyHint: b.readOnly,
        ...(b.readOnly ? {} : { destructiveHint: b.destructive ?? false }),
        openWorldHint: false,
      },
    },
    async call(args) {
      const parsed = b.args.safeParse(args)
      if (!parsed.success) {
        const error = validationError(parsed.error.issues)
        return toolError(error.code, error.message, error.details)
      }
      try {
        return jsonResult(await b.call(parsed.data, api, c))
      } catch (error) {
        if (error instanceof ToolFailure) {
          const { code, message, details } = error.body.error
          return toolError(code, message, details)
        }
        throw error
      }
    },
  }))
}
