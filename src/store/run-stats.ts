import { runIdFloor } from './run-ids'

// Read-only aggregates for the admin pages. Every query is bounded by a run-id floor (ids are
// UUIDv7, so "since" is a primary-key range), never by a scan of all runs.

export type WorkflowActivity = {
  lastRun: { id: string; status: string } | null
  runs: number
  succeeded: number
  /** Finished runs: the denominator of the success rate. */
  finished: number
}

const FINISHED = "('succeeded', 'failed', 'completed_with_errors')"

/** Per workflow: its latest run, and how many runs since `since` (and how many succeeded). */
export async function workflowActivity(
  db: D1Database,
  since: number,
): Promise<Map<string, WorkflowActivity>> {
  const [latest, counts] = await db.batch([
    db.prepare(
      // One index probe per workflow (runs_workflow is (workflow_id, id)).
      `SELECT w.id AS workflow_id, r.id AS run_id, r.status AS status
       FROM workflows w
       JOIN runs r ON r.id = (SELECT id FROM runs WHERE workflow_id = w.id ORDER BY id DESC LIMIT 1)`,
    ),
    db
      .prepare(
        `SELECT workflow_id, COUNT(*) AS runs, SUM(status = 'succeeded') AS succeeded,
                SUM(status IN ${FINISHED}) AS finished
         FROM runs WHERE id >= ? GROUP BY workflow_id`,
      )
      .bind(runIdFloor(since)),
  ])
  const activity = new Map<string, WorkflowActivity>()
  const entry = (id: string) => {
    let found = activity.get(id)
    if (!found) activity.set(id, (found = { lastRun: null, runs: 0, succeeded: 0, finished: 0 }))
    return found
  }
  for (const row of latest!.results as { workflow_id: string; run_id: string; status: string }[])
    entry(row.workflow_id).lastRun = { id: row.run_id, status: row.status }
  for (const row of counts!.results as {
    workflow_id: string
    runs: number
    succeeded: number
    finished: number
  }[]) {
    Object.assign(entry(row.workflow_id), {
      runs: row.runs,
      succeeded: row.succeeded ?? 0,
      finished: row.finished ?? 0,
    })
  }
  return activity
}

export type HourBucket = {
  /** Start of the hour, epoch ms. */
  start: number
  runs: number
  succeeded: number
  failed: number
}

export type Overview = {
  hours: HourBucket[]
  runs: number
  succeeded: number
  finished: number
  steps: number
  p50Ms: number | null
  p95Ms: number | null
}

/** The dashboard's numbers for the `hours` whole hours up to `now`: runs per hour, steps, durations. */
export async function overview(db: D1Database, now: number, hours = 24): Promise<Overview> {
  const HOUR = 3_600_000
  const start = (Math.floor(now / HOUR) - hours + 1) * HOUR
  const floor = runIdFloor(start)
  const [byHour, steps, finishedCount] = await db.batch([
    db
      .prepare(
        // CAST: D1 binds JS numbers as REAL, which would make the division fractional.
        `SELECT CAST((created_at - ?1) / ${HOUR} AS INTEGER) AS hour, COUNT(*) AS runs,
                SUM(status = 'succeeded') AS succeeded,
                SUM(status IN ('failed', 'completed_with_errors')) AS failed
         FROM runs WHERE id >= ?2 GROUP BY hour`,
      )
      .bind(start, floor),
    db.prepare(`SELECT COUNT(*) AS n FROM steps WHERE run_id >= ?`).bind(floor),
    db
      .prepare(`SELECT COUNT(*) AS n FROM runs WHERE id >= ? AND finished_at IS NOT NULL`)
      .bind(floor),
  ])
  const buckets: HourBucket[] = Array.from({ length: hours }, (_, i) => ({
    start: start + i * HOUR,
    runs: 0,
    succeeded: 0,
    failed: 0,
  }))
  for (const row of byHour!.results as {
    hour: number
    runs: number
    succeeded: number
    failed: number
  }[]) {
    const bucket = buckets[row.hour]
    if (bucket)
      Object.assign(bucket, { runs: row.runs, succeeded: row.succeeded, failed: row.failed })
  }
  const finished = (finishedCount!.results[0] as { n: number }).n
  const [p50Ms, p95Ms] = await Promise.all([
    durationAtRank(db, floor, finished, 0.5),
    durationAtRank(db, floor, finished, 0.95),
  ])
  const sum = (key: 'runs' | 'succeeded') => buckets.reduce((n, b) => n + b[key], 0)
  return {
    hours: buckets,
    runs: sum('runs'),
    succeeded: sum('succeeded'),
    finished,
    steps: (steps!.results[0] as { n: number }).n,
    p50Ms,
    p95Ms,
  }
}

/** The nearest-rank percentile of finished runs' durations (SQLite has no percentile function). */
async function durationAtRank(db: D1Database, floor: string, count: number, quantile: number) {
  if (count === 0) return null
  const offset = Math.max(0, Math.ceil(quantile * count) - 1)
  const row = await db
    .prepare(
      `SELECT finished_at - COALESCE(started_at, created_at) AS ms FROM runs
       WHERE id >= ? AND finished_at IS NOT NULL ORDER BY ms LIMIT 1 OFFSET ?`,
    )
    .bind(floor, offset)
    .first<{ ms: number }>()
  return row?.ms ?? null
}
