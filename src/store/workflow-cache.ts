import type { StoredWorkflow } from './workflows'
import { getWorkflow } from './workflows'

/**
 * The ingest path's in-isolate cache of workflow lookups. A hit costs no D1 read; an edit made
 * in another isolate is seen within TTL_MS. Unknown workflows are cached too (as null), so a
 * flood of bad URLs does not become a flood of D1 reads.
 */
const TTL_MS = 5_000
const MAX_ENTRIES = 1_000
const cache = new Map<string, { value: StoredWorkflow | null; expires: number }>()

export async function lookupWorkflow(d1: D1Database, id: string, now = Date.now()) {
  const hit = cache.get(id)
  if (hit && hit.expires > now) return hit.value
  const value = (await getWorkflow(d1, id)) ?? null
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string)
  cache.set(id, { value, expires: now + TTL_MS })
  return value
}

/** This isolate sees its own edits at once. */
export function forgetWorkflow(id: string) {
  cache.delete(id)
}
