import { and, desc, eq, sql } from 'drizzle-orm'
import { workflowVersions, workflows } from '../db/schema'
import { randomToken } from '../lib/ids'
import type { WorkflowDefinition } from '../workflow/definition'
import { database } from './db'
import { deleteSample } from './samples'
import { clearMemory } from './memory-keys'
import { syncSchedule } from './schedules'

export type StoredWorkflow = WorkflowDefinition & {
  id: string
  version: number
  hookToken: string
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
    hookToken: row.hookToken,
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
  const row: WorkflowRow = {
    id: `wf_${randomToken(12)}`,
    name: definition.name,
    enabled: definition.enabled,
    hookToken: randomToken(24),
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
  ])
  return toStored(row, text)
}

/** A new immutable version; runs already started keep the version they began with. */
export async function replaceWorkflow(d1: D1Database, id: string, definition: WorkflowDefinition) {
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
    deleteSample(db, id),
  ])
  // Its memory goes with it (a shared namespace stays: other workflows may use it).
  if (result.length > 0) await clearMemory(d1, id, Date.now())
  return result.length > 0
}

/** A new webhook token; the old URL stops working with this write. Not a new version. */
export async function rotateHookToken(d1: D1Database, id: string) {
  const db = database(d1)
  const [row] = await db
    .update(workflows)
    .set({ hookToken: randomToken(24), updatedAt: Date.now() })
    .where(eq(workflows.id, id))
    .returning({ id: workflows.id })
  return row ? getWorkflow(d1, id) : undefined
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
