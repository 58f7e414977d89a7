import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js'
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/cfworker-provider.js'
import type { Context } from 'hono'
import type { Env } from '../../env'
import { authenticate } from '../api/admin-auth'
import { errorBody } from '../errors'
import { builtInTools, type ApiFetch } from './builtin-tools'
import type { McpToolEntry } from './tool'
import { workflowTools } from './workflow-tools'

/** The largest JSON-RPC body /mcp reads, as the API's (tool arguments are a run's input). */
const MAX_BODY_BYTES = 1024 * 1024

const INSTRUCTIONS =
  'AutomateOS runs workflows: its tools are the workflows published as tools, and built-ins to ' +
  'list, read, validate and save workflows and to start, read, replay and resume runs.'

/**
 * The MCP server (Streamable HTTP, stateless): every POST is answered on its own with JSON, by a
 * Server made for this request and the caller's token, so it needs no Durable Object or session.
 * A GET (a stream for server-initiated messages) and a DELETE (ending a session) answer 405:
 * there are no sessions, and the spec lets a server offer no stream. Auth is the /api one: a
 * bearer API token or ADMIN_TOKEN; tools are those its scopes allow.
 */
export function mcpEndpoint(apiFetch: ApiFetch) {
  return async (c: Context<{ Bindings: Env }>) => {
    const access = await authenticate(c)
    if (access instanceof Response) return access
    if (c.req.method !== 'POST') {
      c.header('Allow', 'POST')
      return c.json(
        errorBody('METHOD_NOT_ALLOWED', 'This MCP server is stateless: send JSON-RPC by POST'),
        405,
      )
    }

    // Read once per request, and only for the requests that need them (not initialize).
    let tools: Promise<McpToolEntry[]> | undefined
    const loadTools = () =>
      (tools ??= workflowTools(c, access).then((own) => [
        ...builtInTools(c, access, apiFetch),
        ...own,
      ]))

    const server = new Server(
      { name: 'automateos', title: 'AutomateOS', version: '0.1.0' },
      {
        capabilities: { tools: {} },
        instructions: INSTRUCTIONS,
        // ajv compiles schemas with new Function, which Workers forbid.
        jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
      },
    )
    server.setRequestHandler(ListToolsRequestSchema, async () => ({
      tools: (await loadTools()).map((entry) => entry.tool),
    }))
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      const { name, arguments: args } = request.params
      const entry = (await loadTools()).find((t) => t.tool.name === name)
      if (!entry) {
        throw new McpError(
          ErrorCode.InvalidParams,
          `Unknown tool: ${name} (or this token's scopes do not include it)`,
        )
      }
      return entry.call(args ?? {})
    })

    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: MAX_BODY_BYTES,
    })
    await server.connect(transport)
    try {
      return await transport.handleRequest(c.req.raw)
    } finally {
      c.executionCtx.waitUntil(server.close())
    }
  }
}
