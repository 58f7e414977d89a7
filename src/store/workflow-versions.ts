import type { WorkflowDefinition } from '../workflow/definition'

export type WorkflowVersion = { version: number; createdAt: number; name: string; nodes: number }

/** Every saved version of a workflow, newest first, without the definitions. */
export async function listWorkflowVersions(
  db: D1Database,
  workflowId: string,
): Promise<WorkflowVersion[]> {
  const { results } = await db
    .prepare(
      `SELECT version, created_at, json_extract(definition, '$.name') AS name,
              json_array_length(definition, '$.nodes') AS nodes
       FROM workflow_versions WHERE workflow_id = ? ORDER BY version DESC`,
    )
    .bind(workflowId)
    .all<{ version: number; created_at: number; name: string; nodes: number }>()
  return results.map((r) => ({
    version: r.version,
    createdAt: r.created_at,
    name: r.name,
    nodes: r.nodes,
  }))
}

/** One saved version's definition, as it was saved. */
export async function getWorkflowVersion(
  db: D1Database,
  workflowId: string,
  version: number,
): Promise<WorkflowDefinition | undefined> {
  const row = await db
    .prepare('SELECT definition FROM workflow_versions WHERE workflow_id = ? AND version = ?')
    .bind(workflowId, version)
    .first<{ definition: string }>()
  return row ? (JSON.parse(row.definition) as WorkflowDefinition) : undefined
}
