import type { RunRow } from './run-row'
import { runIdFloor } from './run-ids'

// The inbox looks this far back: failed runs have no index of their own, so the window keeps the
// scan bounded on a database with millions of succeeded runs.
export const INBOX_DAYS = 30
const windowFloor = (now: number) => runIdFloor(now - INBOX_DAYS * 24 * 3_600_000)

/** Runs that ended badly: failed, or reached the end past failed steps (onError: continue). */
export const INBOX_STATUSES: ReadonlySet<string> = new Set(['failed', 'completed_with_errors'])

// A resumed run is dealt with (its resume claimed it, migration 0014): the new run stands for it,
// and shows up here itself if it fails too. A run stopped by an oauth2 credential that needs
// reconnecting is not an item of its own: the credential is, once (listReconnects), however many
// runs it stopped.
const UNDISMISSED = `status IN ('failed', 'completed_with_errors') AND id >= ?1
  AND resumed_by IS NULL
  AND NOT EXISTS (SELECT 1 FROM run_dismissals d WHERE d.run_id = runs.id)
  AND coalesce(json_extract(error, '$.code'), '') != 'CREDENTIAL_NEEDS_RECONNECT'`

export type InboxRun = {
  id: string
  status: string
  workflowId: string
  workflowVersion: number
  error: { message?: string; code?: string; step?: { index: number; id: string } } | null
  createdAt: string
  finishedAt: string | null
}

/**
 * Runs that ended badly (stopped at a step, dead-lettered, given up by the sweeper, or completed
 * with errors) nobody dismissed.
 */
export async function listInbox(
  db: D1Database,
  options: { now?: number; limit?: number; cursor?: string } = {},
): Promise<{ runs: InboxRun[]; nextCursor: string | null }> {
  const limit = options.limit ?? 50
  const { results } = await db
    .prepare(
      `SELECT id, status, workflow_id, workflow_version, error, created_at, finished_at FROM runs
       WHERE ${UNDISMISSED} AND id < ?2 ORDER BY id DESC LIMIT ?3`,
    )
    .bind(windowFloor(options.now ?? Date.now()), options.cursor ?? '~', limit + 1)
    .all<
      Pick<
        RunRow,
        | 'id'
        | 'status'
        | 'workflow_id'
        | 'workflow_version'
        | 'error'
        | 'created_at'
        | 'finished_at'
      >
    >()
  const page = results.slice(0, limit)
  return {
    runs: page.map((r) => ({
      id: r.id,
      status: r.status,
      workflowId: r.workflow_id,
      workflowVersion: r.workflow_version,
      error: r.error ? JSON.parse(r.error) : null,
      createdAt: new Date(r.created_at).toISOString(),
      finishedAt: r.finished_at === null ? null : new Date(r.finished_at).toISOString(),
    })),
    nextCursor: results.length > limit ? page[page.length - 1]!.id : null,
  }
}

export async function countInbox(db: D1Database, now = Date.now()): Promise<number> {
  const row = await db
    .prepare(
      `SELECT (SELECT COUNT(*) FROM runs WHERE ${UNDISMISSED})
         + (SELECT COUNT(*) FROM credentials WHERE connection = 'needs_reconnect') AS n`,
    )
    .bind(windowFloor(now))
    .first<{ n: number }>()
  return row?.n ?? 0
}

export type ReconnectItem = { name: string; note: string | null; since: string | null }

/** oauth2 credentials whose grant is gone: one inbox item each, until someone reconnects. */
export async function listReconnects(db: D1Database): Promise<ReconnectItem[]> {
  const { results } = await db
    .prepare(
      `SELECT name, connection_note, connection_changed_at FROM credentials
       WHERE connection = 'needs_reconnect' ORDER BY name`,
    )
    .all<{ name: string; connection_note: string | null; connection_changed_at: number | null }>()
  return results.map((r) => ({
    name: r.name,
    note: r.connection_note,
    since:
      r.connection_changed_at === null ? null : new Date(r.connection_changed_at).toISOString(),
  }))
}

/** Takes a run out of the inbox; true when it was there. Dismissing twice is harmless. */
export async function dismissRun(db: D1Database, runId: string, now = Date.now()) {
  const result = await db
    .prepare(
      `INSERT OR IGNORE INTO run_dismissals (run_id, dismissed_at)
       SELECT id, ?2 FROM runs WHERE id = ?1 AND status IN ('failed', 'completed_with_errors')`,
    )
    .bind(runId, now)
    .run()
  return result.meta.changes > 0
}

export async function isDismissed(db: D1Database, runId: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS yes FROM run_dismissals WHERE run_id = ?')
    .bind(runId)
    .first()
  return row !== null
}
