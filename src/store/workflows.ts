import { and, desc, eq, sql } from 'drizzle-orm'
import { workflowVersions, workflows } from '../db/schema'
import { TOKEN_HASH_PREFIX, hashToken, randomToken } from '../lib/ids'
import type { WorkflowDefinition } from '../workflow/definition'
import { database } from './db'
import { deleteSample } from './samples'
import { draftDeletion } from './drafts'
import { deleteStepTests } from './step-tests'
import { clearMemory } from './memory-keys'
import { syncPoll } from './polls'
import { syncSchedule } from './schedules'

export type StoredWorkflow = WorkflowDefinition & {
  id: string
  version: number
  /** What D1 keeps of the webhook token: its hash (or, before migration 0014, the token). */
  hookTokenHash: string
  /** The webhook token itself: only on the answer that created or rotated it, never stored. */
  hookToken?: string
  createdAt: number
  updatedAt: number
}

type WorkflowRow = typeof workflows.$inferSelect

/** Joins a workflow to the definition of its current version. */
const currentVersion = and(
  eq(workflowVersions.workflowId, workflows.id),
  eq(workflowVersions.version, workflows.version),
)

function toStored(row: WorkflowRow, definition: string): StoredWorkflow {
  return {
    ...(JSON.parse(definition) as WorkflowDefinition),
    id: row.id,
    version: row.version,
    hookTokenHash: row.hookToken,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

export async function createWorkflow(
  d1: D1Database,
  definition: WorkflowDefinition,
): Promise<StoredWorkflow> {
  const db = database(d1)
  const now = Date.now()
  const hookToken = randomToken(24)
  const row: WorkflowRow = {
    id: `wf_${randomToken(12)}`,
    name: definition.name,
    enabled: definition.enabled,
    hookToken: await hashToken(hookToken),
    version: 1,
    createdAt: now,
    updatedAt: now,
  }
  const text = JSON.stringify(definition)
  await db.batch([
    db.insert(workflows).values(row),
    db
      .insert(workflowVersions)
      .values({ workflowId: row.id, version: 1, definition: text, createdAt: now }),
    syncSchedule(db, row.id, definition, now),
    syncPoll(db, row.id, definition, now),
  ])
  return { ...toStored(row, text), hookToken }
}

/**
 * A new immutable version; runs already started keep the version they began with. It replaces
 * the draft too: a plain save discards it, publishing (`publishedDraft`: the draft's savedAt)
 * removes the draft it published, and only that one.
 */
export async function replaceWorkflow(
  d1: D1Database,
  id: string,
  definition: WorkflowDefinition,
  options: { publishedDraft?: number } = {},
) {
  const db = database(d1)
  const now = Date.now()
  const text = JSON.stringify(definition)
  // One batch is one transaction: the version number and the version row move together.
  const [updated] = await db.batch([
    db
      .update(workflows)
      .set({
        name: definition.name,
        enabled: definition.enabled,
        version: sql`${workflows.version} + 1`,
        updatedAt: now,
      })
      .where(eq(workflows.id, id))
      .returning(),
    db.insert(workflowVersions).select(
      db
        .select({
          workflowId: workflows.id,
          version: workflows.version,
          definition: sql<string>`${text}`.as('definition'),
          createdAt: sql<number>`${now}`.as('created_at'),
        })
        .from(workflows)
        .where(eq(workflows.id, id)),
    ),
    syncSchedule(db, id, definition, now),
    syncPoll(db, id, definition, now),
    draftDeletion(db, id, options.publishedDraft),
  ])
  const row = updated[0]
  return row ? toStored(row, text) : undefined
}

export async function deleteWorkflow(d1: D1Database, id: string): Promise<boolean> {
  // Versions stay: runs in flight finish on theirs, and past runs still show what ran.
  const db = database(d1)
  const [result] = await db.batch([
    db.delete(workflows).where(eq(workflows.id, id)).returning({ id: workflows.id }),
    syncSchedule(db, id, undefined, Date.now()),
    syncPoll(db, id, undefined, Date.now()),
    deleteSample(db, id),
    draftDeletion(db, id),
    deleteStepTests(db, id),
  ])
  // Its memory goes with it (a shared namespace stays: other workflows may use it).
  if (result.length > 0) await clearMemory(d1, id, Date.now())
  return result.length > 0
}

/**
 * A new webhook token, returned this once (D1 keeps its hash); the old URL stops working with
 * this write. Not a new version.
 */
export async function rotateHookToken(
  d1: D1Database,
  id: string,
): Promise<StoredWorkflow | undefined> {
  const db = database(d1)
  const hookToken = randomToken(24)
  const [row] = await db
    .update(workflows)
    .set({ hookToken: await hashToken(hookToken), updatedAt: Date.now() })
    .where(eq(workflows.id, id))
    .returning({ id: workflows.id })
  const workflow = row ? await getWorkflow(d1, id) : undefined
  return workflow && { ...workflow, hookToken }
}

/**
 * Stores hashed a webhook token kept in clear from before migration 0014 (SQLite cannot hash):
 * the one just used (`clear`), or, without it, up to `limit` of them (the cron's pass). Only
 * while the row still holds that token: a rotation in between wins.
 */
export async function upgradeHookTokens(d1: D1Database, only?: { id: string; clear: string }) {
  const rows = only
    ? [{ id: only.id, hook_token: only.clear }]
    : (
        await d1
          .prepare(`SELECT id, hook_token FROM workflows WHERE hook_token NOT LIKE ? LIMIT 100`)
          .bind(`${TOKEN_HASH_PREFIX}%`)
          .all<{ id: string; hook_token: string }>()
      ).results
  if (rows.length === 0) return 0
  const updates = await Promise.all(
    rows.map(async (row) =>
      d1
        .prepare('UPDATE workflows SET hook_token = ?3 WHERE id = ?1 AND hook_token = ?2')
        .bind(row.id, row.hook_token, await hashToken(row.hook_token)),
    ),
  )
  const results = await d1.batch(updates)
  return results.reduce((n, r) => n + r.meta.changes, 0)
}

export async function getWorkflow(d1: D1Database, id: string): Promise<StoredWorkflow | undefined> {
  const db = database(d1)
  const [found] = await db
    .select({ row: workflows, definition: workflowVersions.definition })
    .from(workflows)
    .innerJoin(workflowVersions, currentVersion)
    .where(eq(workflows.id, id))
  return found ? toStored(found.row, found.definition) : undefined
}

export async function listWorkflows(d1: D1Database): Promise<StoredWorkflow[]> {
  const db = database(d1)
  const rows = await db
    .select({ row: workflows, definition: workflowVersions.definition })
    .from(workflows)
    .innerJoin(workflowVersions, currentVersion)
    .orderBy(desc(workflows.createdAt))
  return rows.map((r) => toStored(r.row, r.definition))
}

export async function countWorkflows(d1: D1Database): Promise<number> {
  const [row] = await database(d1)
    .select({ n: sql<number>`count(*)` })
    .from(workflows)
  return row?.n ?? 0
}
