import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'

/** One tool of the MCP server: what tools/list shows of it, and how a call is answered. */
export type McpToolEntry = {
  tool: Tool
  call(args: Record<string, unknown>): Promise<CallToolResult>
}

/** A result as both text (for clients that read only text) and structured JSON. */
export function jsonResult(value: unknown): CallToolResult {
  const structured =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? { structuredContent: value as Record<string, unknown> }
      : {}
  return { content: [{ type: 'text', text: JSON.stringify(value) }], ...structured }
}

/** A tool error the agent reads and can act on: a code, a message naming what went wrong. */
export function toolError(code: string, message: string, details?: unknown): CallToolResult {
  const error = details === undefined ? { code, message } : { code, message, details }
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error }) }] }
}
