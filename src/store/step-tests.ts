import { and, desc, eq, inArray, lt, max, notInArray } from 'drizzle-orm'
import { stepTests } from '../db/schema'
import type { Env } from '../env'
import { uuidv7 } from '../lib/ids'
import { uuidv7Floor } from '../lib/uuidv7-time'
import { cutText, redactText } from '../redact/redact'
import { type Database, database } from './db'
import { DAY_MS, retentionDays } from './prune-runs'

/** Tests kept per node: enough to see a node go from failing to working, and a bounded table. */
export const TESTS_PER_NODE = 20
/** Characters of an error message kept: a verdict to read, not a log. */
const MAX_MESSAGE_CHARS = 2000
/** Rows the cron deletes per tick: a bounded delete through the primary key. */
export const PRUNE_STEP_TESTS_LIMIT = 500

export type StepTestVerdict = {
  workflowId: string
  nodeId: string
  nodeType: string
  workflowVersion: number
  draft: boolean
  durationMs: number
  error?: { code?: string; message: string }
}

export type StepTestRecord = typeof stepTests.$inferSelect

/**
 * Records one "Test this step": its verdict only (never the config or output, which may hold
 * secrets or personal data), and drops the node's tests beyond the newest TESTS_PER_NODE in the
 * same batch, so the table stays small without the cron scanning it. Returns the row's id.
 */
export async function recordStepTest(
  d1: D1Database,
  verdict: StepTestVerdict,
  now = Date.now(),
): Promise<string> {
  const db = database(d1)
  const id = uuidv7(now)
  const { error } = verdict
  const ofNode = and(
    eq(stepTests.workflowId, verdict.workflowId),
    eq(stepTests.nodeId, verdict.nodeId),
  )
  await db.batch([
    db.insert(stepTests).values({
      id,
      workflowId: verdict.workflowId,
      nodeId: verdict.nodeId,
      nodeType: verdict.nodeType,
      workflowVersion: verdict.workflowVersion,
      draft: verdict.draft,
      status: error ? 'failed' : 'succeeded',
      // The answer's error is redacted already; redacting again costs little and keeps this
      // table safe whatever path the error took.
      errorCode: error?.code ?? null,
      errorMessage: error ? cutText(redactText(error.message), MAX_MESSAGE_CHARS) : null,
      durationMs: Math.max(0, Math.round(verdict.durationMs)),
      testedAt: now,
    }),
    db
      .delete(stepTests)
      .where(
        and(
          ofNode,
          notInArray(
            stepTests.id,
            db
              .select({ id: stepTests.id })
              .from(stepTests)
              .where(ofNode)
              .orderBy(desc(stepTests.id))
              .limit(TESTS_PER_NODE),
          ),
        ),
      ),
  ])
  return id
}

/** The workflow's latest tests, newest first; only one node's with `nodeId`. */
export async function listStepTests(
  d1: D1Database,
  workflowId: string,
  options: { nodeId?: string; limit?: number } = {},
): Promise<StepTestRecord[]> {
  const ofWorkflow = eq(stepTests.workflowId, workflowId)
  return database(d1)
    .select()
    .from(stepTests)
    .where(options.nodeId ? and(ofWorkflow, eq(stepTests.nodeId, options.nodeId)) : ofWorkflow)
    .orderBy(desc(stepTests.id))
    .limit(options.limit ?? 50)
}

/** Each node's last test, by node id: what the editor shows on its node cards. */
export async function lastStepTests(
  d1: D1Database,
  workflowId: string,
): Promise<Record<string, StepTestRecord>> {
  const db = database(d1)
  const newest = db
    .select({ id: max(stepTests.id) })
    .from(stepTests)
    .where(eq(stepTests.workflowId, workflowId))
    .groupBy(stepTests.nodeId)
  const rows = await db
    .select()
    .from(stepTests)
    .where(and(eq(stepTests.workflowId, workflowId), inArray(stepTests.id, newest)))
  return Object.fromEntries(rows.map((row) => [row.nodeId, row]))
}

/** The delete that goes in the batch deleting the workflow. */
export function deleteStepTests(db: Database, workflowId: string) {
  return db.delete(stepTests).where(eq(stepTests.workflowId, workflowId))
}

/**
 * The retention sweep's part for step tests: deletes those made more than RETENTION_DAYS ago (as
 * runs are), a bounded batch per cron tick by primary-key range. RETENTION_DAYS = 0 keeps them
 * (the per-node cap still applies).
 */
export async function pruneStepTests(
  env: Pick<Env, 'DB' | 'RETENTION_DAYS'>,
  now = Date.now(),
  limit = PRUNE_STEP_TESTS_LIMIT,
): Promise<number> {
  const days = retentionDays(env)
  if (!(days > 0)) return 0
  const db = database(env.DB)
  const old = db
    .select({ id: stepTests.id })
    .from(stepTests)
    .where(lt(stepTests.id, uuidv7Floor(now - days * DAY_MS)))
    .limit(limit)
  const deleted = await db
    .delete(stepTests)
    .where(inArray(stepTests.id, old))
    .returning({ id: stepTests.id })
  return deleted.length
}
