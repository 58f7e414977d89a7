import { z } from 'zod'

/**
 * The built-in tools of the MCP server (src/http/mcp/builtin-tools.ts): a workflow may not take
 * one of these names as its own tool's. A test checks the two lists agree.
 */
export const BUILT_IN_TOOL_NAMES = [
  'list_workflows',
  'get_workflow',
  'list_node_types',
  'validate_workflow',
  'save_workflow',
  'publish_workflow',
  'start_run',
  'get_run',
  'list_failures',
  'replay_run',
  'resume_run',
] as const

/** Characters of a tool's input JSON Schema, as JSON. */
const MAX_INPUT_SCHEMA_CHARS = 64 * 1024

/**
 * `"mcp": { tool, description, input }` in a workflow: the workflow is an MCP tool at /mcp, its
 * arguments (checked against `input`, a JSON Schema of an object) are the run's input.
 */
export const mcpToolSchema = z
  .object({
    tool: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_-]{0,63}$/,
        'must be 1-64 letters, digits, _ or -, starting with a letter (an MCP tool name)',
      )
      .refine((name) => !(BUILT_IN_TOOL_NAMES as readonly string[]).includes(name), {
        message: 'is the name of a built-in tool',
      }),
    description: z.string().trim().min(1).max(2000),
    input: z
      .looseObject({
        type: z.literal('object', 'must be "object": a tool takes an object of arguments'),
        properties: z.record(z.string(), z.unknown()).optional(),
        required: z.array(z.string()).optional(),
      })
      .default({ type: 'object' })
      .refine((schema) => JSON.stringify(schema).length <= MAX_INPUT_SCHEMA_CHARS, {
        message: `is too large: at most ${MAX_INPUT_SCHEMA_CHARS} characters of JSON`,
      })
      .describe('JSON Schema of the arguments, an object; they become the run input'),
  })
  .strict()
  .describe('Expose the workflow as a tool of the MCP server at /mcp')

export type McpTool = z.output<typeof mcpToolSchema>
