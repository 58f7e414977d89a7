import { and, eq, sql } from 'drizzle-orm'
import { workflowDrafts, workflows } from '../db/schema'
import type { WorkflowDefinition } from '../workflow/definition'
import { type Database, database } from './db'

/**
 * A workflow's unpublished draft: saved beside the live version, read only by the API and the
 * editor. Webhooks, schedules, polls, MCP tools and "Run now" load the live version (workflows.ts)
 * and never see it; publishing makes it a new version (replaceWorkflow) and removes it.
 */
export type Draft = { definition: WorkflowDefinition; savedAt: number }

export async function getDraft(d1: D1Database, workflowId: string): Promise<Draft | undefined> {
  const [row] = await database(d1)
    .select()
    .from(workflowDrafts)
    .where(eq(workflowDrafts.workflowId, workflowId))
  return row
    ? { definition: JSON.parse(row.definition) as WorkflowDefinition, savedAt: row.savedAt }
    : undefined
}

/**
 * Saves `definition` as the workflow's draft, replacing the one before. Undefined when there is
 * no such workflow: the row is copied from the workflow's own, so a draft can never outlive a
 * workflow deleted at the same moment.
 */
export async function saveDraft(
  d1: D1Database,
  workflowId: string,
  definition: WorkflowDefinition,
  now = Date.now(),
): Promise<Draft | undefined> {
  const db = database(d1)
  const text = JSON.stringify(definition)
  const saved = await db
    .insert(workflowDrafts)
    .select(
      db
        .select({
          workflowId: workflows.id,
          definition: sql<string>`${text}`.as('definition'),
          savedAt: sql<number>`${now}`.as('saved_at'),
        })
        .from(workflows)
        .where(eq(workflows.id, workflowId)),
    )
    .onConflictDoUpdate({
      target: workflowDrafts.workflowId,
      set: { definition: text, savedAt: now },
    })
    .returning({ savedAt: workflowDrafts.savedAt })
  return saved.length ? { definition, savedAt: now } : undefined
}

/**
 * The delete that goes in the batch saving a live version or deleting the workflow. With
 * `savedAt` (publishing), only that draft: one saved meanwhile stays, still unpublished.
 */
export function draftDeletion(db: Database, workflowId: string, savedAt?: number) {
  const ofWorkflow = eq(workflowDrafts.workflowId, workflowId)
  return db
    .delete(workflowDrafts)
    .where(
      savedAt === undefined ? ofWorkflow : and(ofWorkflow, eq(workflowDrafts.savedAt, savedAt)),
    )
}

/** Discards the workflow's draft; false when it had none. */
export async function discardDraft(d1: D1Database, workflowId: string): Promise<boolean> {
  const deleted = await draftDeletion(database(d1), workflowId).returning({
    id: workflowDrafts.workflowId,
  })
  return deleted.length > 0
}

/** When each workflow with a draft saved it: the list marks those with unpublished changes. */
export async function draftTimes(d1: D1Database): Promise<Map<string, number>> {
  const rows = await database(d1)
    .select({ workflowId: workflowDrafts.workflowId, savedAt: workflowDrafts.savedAt })
    .from(workflowDrafts)
  return new Map(rows.map((r) => [r.workflowId, r.savedAt]))
}
