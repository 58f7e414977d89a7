import { Validator, type OutputUnit } from '@cfworker/json-schema'
import type { Context } from 'hono'
import type { Env } from '../../env'
import { numberVar } from '../../env'
import { listWorkflows, type StoredWorkflow } from '../../store/workflows'
import { acceptRun } from '../accept-run'
import { hasScope, mayRunWorkflow, type Access } from '../api/access'
import { originOf } from '../origin'
import { waitForOutcome } from '../wait-for-outcome'
import { jsonResult, toolError, type McpToolEntry } from './tool'

/** How long a workflow tool waits for its run before answering its id and status URL. */
export const MCP_WAIT_MS = 25_000

// Keywords that only say a part below them failed: the part's own error says what and where.
const SUMMARY_KEYWORDS = new Set(['properties', 'items', 'prefixItems', 'allOf', '$ref'])

/**
 * The workflows the token may run that opted in with `mcp`, as tools: enabled ones only, the
 * first (oldest) to claim a name keeps it.
 */
export async function workflowTools(
  c: Context<{ Bindings: Env }>,
  access: Access,
): Promise<McpToolEntry[]> {
  if (!hasScope(access, 'run')) return []
  const workflows = await listWorkflows(c.env.DB)
  const seen = new Set<string>()
  const tools: McpToolEntry[] = []
  for (const workflow of [...workflows].sort((a, b) => a.createdAt - b.createdAt)) {
    const mcp = workflow.mcp
    if (!mcp || !workflow.enabled || seen.has(mcp.tool)) continue
    if (!mayRunWorkflow(access, workflow.id)) continue
    seen.add(mcp.tool)
    tools.push({
      tool: {
        name: mcp.tool,
        title: workflow.name,
        description: mcp.description,
        inputSchema: mcp.input as McpToolEntry['tool']['inputSchema'],
        // A workflow may do anything its nodes do: nothing says it only reads.
        annotations: { title: workflow.name, readOnlyHint: false, openWorldHint: true },
      },
      call: (args) => callWorkflow(c, access, workflow, args),
    })
  }
  return tools
}

/**
 * Checks the arguments against the tool's schema, starts a run with them as input, and waits
 * for it as a sync webhook does: its output, a tool error naming the failed node, or (when it
 * takes longer) its run id and status URL.
 */
async function callWorkflow(
  c: Context<{ Bindings: Env }>,
  access: Access,
  workflow: StoredWorkflow,
  args: Record<string, unknown>,
) {
  const result = new Validator(workflow.mcp!.input as object, '2020-12', false).validate(args)
  if (!result.valid) {
    const problems = argumentProblems(result.errors)
    return toolError(
      'VALIDATION_FAILED',
      `Invalid arguments: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    )
  }
  // Which agent's token started it says who to ask when a run surprises (token names are labels,
  // not secrets).
  const trigger = {
    type: 'mcp' as const,
    tool: workflow.mcp!.tool,
    calledBy: access.kind === 'token' ? access.token.name : 'ADMIN_TOKEN',
    receivedAt: Date.now(),
    origin: originOf(c),
  }
  const accepted = await acceptRun(c, workflow, args, trigger)
  const started = { runId: accepted.runId, statusUrl: accepted.statusUrl }
  const outcome = await waitForOutcome(
    c.env.DB,
    accepted.runId,
    numberVar(c.env.MCP_WAIT_MS, MCP_WAIT_MS),
  )
  if (!outcome) return jsonResult({ ...started, status: 'running' })
  if (outcome.kind === 'responded') return jsonResult(outcome.response.body ?? null)
  if (outcome.status === 'failed') {
    const error = (outcome.error ?? {}) as { message?: string; code?: string; step?: unknown }
    return toolError(error.code ?? 'RUN_FAILED', error.message ?? 'The run failed', {
      ...started,
      node: error.step,
    })
  }
  return jsonResult(outcome.output ?? null)
}

/** Each failed check as `{ path, message }`, the path as `a.b.0` (`(arguments)` for the whole). */
function argumentProblems(errors: OutputUnit[]) {
  const leaves = errors.filter((e) => !SUMMARY_KEYWORDS.has(e.keyword))
  return (leaves.length ? leaves : errors).map((e) => ({
    path:
      e.instanceLocation
        .replace(/^#\/?/, '')
        .split('/')
        .filter(Boolean)
        .map((part) => decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~')))
        .join('.') ||
      missingProperty(e) ||
      '(arguments)',
    message: e.error,
  }))
}

/** A missing required property is reported at its parent: name the property itself. */
function missingProperty(e: OutputUnit) {
  if (e.keyword !== 'required') return undefined
  return /"([^"]+)"/.exec(e.error)?.[1]
}
