import { eq, sql } from 'drizzle-orm'
import { schedules, workflows } from '../db/schema'
import { parseCron, nextFireAfter } from '../schedules/cron'
import type { WorkflowDefinition } from '../workflow/definition'
import type { Database } from './db'
import type { InsertGuard } from './run-row'

/**
 * The statement that brings a workflow's schedule row in line with the definition being saved;
 * it goes in the same batch as the version write, after it, and reads the version from
 * `workflows`. A save that keeps the cron and time zone keeps the pending fire time (an edit of
 * the nodes loses no run); one that changes them starts from the new cron after `now`, so the
 * old time is never fired. Disabled, deleted or not scheduled: no row, nothing fires.
 */
export function syncSchedule(
  db: Database,
  workflowId: string,
  definition: WorkflowDefinition | undefined,
  now: number,
) {
  const trigger = definition?.trigger
  if (!definition?.enabled || trigger?.type !== 'schedule') {
    return db.delete(schedules).where(eq(schedules.workflowId, workflowId))
  }
  const next = nextFireAfter(parseCron(trigger.cron, trigger.timezone), now)
  const row = db
    .select({
      workflowId: workflows.id,
      workflowVersion: workflows.version,
      cron: sql<string>`${trigger.cron}`.as('cron'),
      timezone: sql<string>`${trigger.timezone}`.as('timezone'),
      nextFireAt: sql<number | null>`${next}`.as('next_fire_at'),
      lastFireAt: sql<number | null>`NULL`.as('last_fire_at'),
      updatedAt: sql<number>`${now}`.as('updated_at'),
    })
    .from(workflows)
    .where(eq(workflows.id, workflowId))
  return db
    .insert(schedules)
    .select(row)
    .onConflictDoUpdate({
      target: schedules.workflowId,
      set: {
        workflowVersion: sql`excluded.workflow_version`,
        nextFireAt: sql`CASE
          WHEN ${schedules.cron} = excluded.cron AND ${schedules.timezone} = excluded.timezone
            AND ${schedules.nextFireAt} IS NOT NULL
          THEN ${schedules.nextFireAt} ELSE excluded.next_fire_at END`,
        cron: sql`excluded.cron`,
        timezone: sql`excluded.timezone`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
}

export type DueSchedule = {
  workflow_id: string
  workflow_version: number
  next_fire_at: number
  definition: string
}

/** Schedules whose next fire time has come, oldest first, with the definition they belong to. */
export async function dueSchedules(d1: D1Database, now: number, limit: number) {
  const { results } = await d1
    .prepare(
      `SELECT s.workflow_id, s.workflow_version, s.next_fire_at, v.definition
       FROM schedules s JOIN workflow_versions v
         ON v.workflow_id = s.workflow_id AND v.version = s.workflow_version
       WHERE s.next_fire_at IS NOT NULL AND s.next_fire_at <= ?1
       ORDER BY s.next_fire_at LIMIT ?2`,
    )
    .bind(now, limit)
    .all<DueSchedule>()
  return results
}

/**
 * Moves a schedule past the times this tick fires, only if nobody else did: the row must still
 * hold the version and fire time the tick read. `claim` returns a row only for the winner;
 * `guard` holds only once it won (the row then holds what this tick wrote), so the runs written
 * under it in the claim's batch exist only for the winner. Run ids are derived from the workflow
 * and the fire time, so even a second writer could not create the same fire twice.
 */
export function claimFireTime(
  d1: D1Database,
  due: DueSchedule,
  claim: { last: number | null; next: number | null; now: number },
): { claim: D1PreparedStatement; guard: InsertGuard } {
  const statement = d1
    .prepare(
      `UPDATE schedules SET next_fire_at = ?4, last_fire_at = coalesce(?5, last_fire_at), updated_at = ?6
       WHERE workflow_id = ?1 AND workflow_version = ?2 AND next_fire_at = ?3
       RETURNING workflow_id`,
    )
    .bind(
      due.workflow_id,
      due.workflow_version,
      due.next_fire_at,
      claim.next,
      claim.last,
      claim.now,
    )
  const guard = {
    sql: `EXISTS (SELECT 1 FROM schedules WHERE workflow_id = ?16 AND workflow_version = ?17
            AND next_fire_at IS ?18 AND updated_at = ?19)`,
    params: [due.workflow_id, due.workflow_version, claim.next, claim.now],
  }
  return { claim: statement, guard }
}
