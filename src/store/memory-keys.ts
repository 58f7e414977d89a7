import { memoryNamespace } from './memory'

// What the admin API and page show of a workflow's memory, and how they delete it. Only the
// workflow's own namespace: a shared one belongs to no single workflow.

/** Characters of a value's JSON shown in a list. */
export const PREVIEW_CHARS = 200

export type MemoryKeyView = {
  key: string
  /** UTF-8 bytes of the value's JSON. */
  size: number
  /** The start of the value's JSON, at most PREVIEW_CHARS characters. */
  preview: string
  updatedAt: number
  expiresAt: number | null
}

/** Live keys in key order, from after `cursor` (the last key of the page before). */
export async function listMemoryKeys(
  db: D1Database,
  workflowId: string,
  options: { limit: number; cursor?: string },
  now: number,
): Promise<{ keys: MemoryKeyView[]; nextCursor: string | null }> {
  const { results } = await db
    .prepare(
      `SELECT key, length(CAST(value AS BLOB)) AS size, substr(value, 1, ?4) AS preview,
         updated_at, expires_at
       FROM memory WHERE namespace = ?1 AND key > ?2
         AND (expires_at IS NULL OR expires_at > ?3)
       ORDER BY key LIMIT ?5`,
    )
    .bind(memoryNamespace(workflowId), options.cursor ?? '', now, PREVIEW_CHARS, options.limit + 1)
    .all<{
      key: string
      size: number
      preview: string
      updated_at: number
      expires_at: number | null
    }>()
  const page = results.slice(0, options.limit)
  return {
    keys: page.map((r) => ({
      key: r.key,
      size: r.size,
      preview: r.preview,
      updatedAt: r.updated_at,
      expiresAt: r.expires_at,
    })),
    nextCursor: results.length > options.limit ? page[page.length - 1]!.key : null,
  }
}

/** True when a live key was deleted (an expired one counts as gone already). */
export async function deleteMemoryKey(
  db: D1Database,
  workflowId: string,
  key: string,
  now: number,
) {
  const row = await db
    .prepare(`DELETE FROM memory WHERE namespace = ?1 AND key = ?2 RETURNING expires_at`)
    .bind(memoryNamespace(workflowId), key)
    .first<{ expires_at: number | null }>()
  return row !== null && (row.expires_at === null || row.expires_at > now)
}

/** Deletes every key of the workflow's own namespace; answers how many were live. */
export async function clearMemory(db: D1Database, workflowId: string, now: number) {
  const { results } = await db
    .prepare('DELETE FROM memory WHERE namespace = ?1 RETURNING expires_at')
    .bind(memoryNamespace(workflowId))
    .all<{ expires_at: number | null }>()
  return results.filter((r) => r.expires_at === null || r.expires_at > now).length
}
