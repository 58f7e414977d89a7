import { listWorkflows } from '../../store/workflows'
import type { WorkflowDefinition } from '../../workflow/definition'
import { validationError } from '../errors'

/**
 * Save-time check: an MCP tool name (`mcp.tool`) belongs to one workflow, so an agent's call
 * always starts the workflow it meant. A second workflow claiming it is refused at `mcp.tool`.
 */
export async function checkToolName(db: D1Database, definition: WorkflowDefinition, id?: string) {
  const tool = definition.mcp?.tool
  if (!tool) return
  const clash = (await listWorkflows(db)).find((w) => w.id !== id && w.mcp?.tool === tool)
  if (!clash) return
  throw validationError([
    {
      code: 'custom',
      path: ['mcp', 'tool'],
      message: `is already the tool of workflow ${clash.id} ('${clash.name}')`,
      input: tool,
    },
  ])
}
