/** `version`: the newest saved, which is the current one while the workflow exists. */
export type WorkflowLabel = { name: string; exists: boolean; version: number }

/**
 * Names for the workflows runs belong to, deleted ones included: their versions outlive them,
 * so a past run still says what it ran. One query for a whole page of runs.
 */
export async function workflowLabels(
  db: D1Database,
  ids: readonly string[],
): Promise<Map<string, WorkflowLabel>> {
  const unique = [...new Set(ids)]
  const labels = new Map<string, WorkflowLabel>()
  if (unique.length === 0) return labels
  const { results } = await db
    .prepare(
      `SELECT v.workflow_id AS id, json_extract(v.definition, '$.name') AS name,
              v.version, w.id IS NOT NULL AS live
       FROM workflow_versions v LEFT JOIN workflows w ON w.id = v.workflow_id
       WHERE v.workflow_id IN (${unique.map(() => '?').join(', ')})
         AND v.version = (SELECT MAX(version) FROM workflow_versions WHERE workflow_id = v.workflow_id)`,
    )
    .bind(...unique)
    .all<{ id: string; name: string | null; version: number; live: number }>()
  for (const row of results)
    labels.set(row.id, { name: row.name ?? row.id, exists: row.live === 1, version: row.version })
  return labels
}
