import type { RunRow } from './run-row'
import type { Waiting } from './run-model'

/** Where a run stands with respect to one of its wait-for-webhook nodes, for its resume URL. */
export type ResumeState =
  /** The node waits for its call now. */
  | { kind: 'waiting'; until: number }
  /** Its wait has ended (a call was delivered, it timed out or was skipped), or the run ended. */
  | { kind: 'over'; message: string }
  /** The run has not reached the node yet (an earlier step still runs or retries). */
  | { kind: 'not-yet' }

export type ResumeRow = {
  /**
   * What the run keeps of its resume key (src/engine/resume-key.ts: a salt, or a legacy key in
   * clear); null when no step ever asked for a resume URL.
   */
  key: string | null
  state: ResumeState
  /** The decisions the node offers (its `decisions`), each with a URL of its own; [] for none. */
  decisions: string[]
}

/**
 * What the run keeps of its resume key: `fresh` (a new salt), written the first time a step asks
 * for it and never changed after, so a retried or redelivered step hands out the same URL. One
 * round trip, and no write once it exists. Null when the run has no row.
 */
export async function runResumeKey(
  db: D1Database,
  runId: string,
  fresh: string,
): Promise<string | null> {
  const [, read] = await db.batch([
    db
      .prepare('UPDATE runs SET resume_key = ?2 WHERE id = ?1 AND resume_key IS NULL')
      .bind(runId, fresh),
    db.prepare('SELECT resume_key FROM runs WHERE id = ?1').bind(runId),
  ])
  return (read!.results[0] as Pick<RunRow, 'resume_key'> | undefined)?.resume_key ?? null
}

/** What the run keeps of its resume key (see runResumeKey), or null. */
export async function storedResumeKey(db: D1Database, runId: string): Promise<string | null> {
  return db
    .prepare('SELECT resume_key FROM runs WHERE id = ?1')
    .bind(runId)
    .first<string | null>('resume_key')
}

/** The run's resume key and the node's state, in one round trip; null for an unknown run. */
export async function readResumeRow(
  db: D1Database,
  runId: string,
  nodeId: string,
  now: number,
): Promise<ResumeRow | null> {
  const [runs, steps, node] = await db.batch([
    db.prepare('SELECT resume_key, waiting, finished_at FROM runs WHERE id = ?1').bind(runId),
    db
      .prepare('SELECT status FROM steps WHERE run_id = ?1 AND node_id = ?2 LIMIT 1')
      .bind(runId, nodeId),
    // The node's decisions, from the version the run runs on.
    db
      .prepare(
        `SELECT json_extract(n.value, '$.config.decisions') AS decisions
         FROM runs r JOIN workflow_versions v
           ON v.workflow_id = r.workflow_id AND v.version = r.workflow_version,
           json_each(v.definition, '$.nodes') n
         WHERE r.id = ?1 AND json_extract(n.value, '$.id') = ?2 LIMIT 1`,
      )
      .bind(runId, nodeId),
  ])
  const run = runs!.results[0] as Pick<RunRow, 'resume_key' | 'waiting' | 'finished_at'> | undefined
  if (!run) return null
  const step = steps!.results[0] as { status: string } | undefined
  const waiting = run.waiting === null ? null : (JSON.parse(run.waiting) as Waiting)
  const listed = (node!.results[0] as { decisions: string | null } | undefined)?.decisions
  const decisions = listed ? (JSON.parse(listed) as unknown) : []
  return {
    key: run.resume_key,
    state: resumeState(nodeId, waiting, step?.status, run.finished_at !== null, now),
    decisions: Array.isArray(decisions) ? decisions.filter((d) => typeof d === 'string') : [],
  }
}

export function resumeState(
  nodeId: string,
  waiting: Waiting | null,
  stepStatus: string | undefined,
  finished: boolean,
  now: number,
): ResumeState {
  if (waiting?.nodeId === nodeId) {
    if (waiting.deliveredText !== undefined)
      return { kind: 'over', message: 'This resume URL was used already' }
    if (now >= waiting.until)
      return { kind: 'over', message: 'This wait timed out: the resume URL no longer works' }
    return { kind: 'waiting', until: waiting.until }
  }
  if (stepStatus === 'skipped')
    return { kind: 'over', message: 'The run skipped this wait: the resume URL does not work' }
  if (stepStatus !== undefined) {
    return {
      kind: 'over',
      message: 'This wait is over: the resume URL was used already, or its timeout passed',
    }
  }
  if (finished) {
    return {
      kind: 'over',
      message: 'The run ended before it reached this wait: the resume URL does not work',
    }
  }
  return { kind: 'not-yet' }
}
