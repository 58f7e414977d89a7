import type { RunRow } from './run-row'
import type { WorkflowNode } from '../workflow/definition'

/** A recorded step as a resume sees it. */
export type RecordedStep = {
  index: number
  status: string
  /** A step that succeeded with an error is a forEach that went on past failed elements. */
  hasError: boolean
}

/** What a replay or resume reads of the run it copies. */
export type RunSource = {
  id: string
  workflowId: string
  workflowVersion: number
  status: string
  /** The run that resumed this one; null while none did. */
  resumedBy: string | null
  triggerText: string
  /** The input column: inline JSON or a blob reference. */
  inputText: string | null
  steps: RecordedStep[]
  /** The workflow's current version; null once the workflow was deleted. */
  currentVersion: number | null
  /** The nodes of the version the run ran on; null when that version is missing. */
  nodes: WorkflowNode[] | null
  /** The nodes of the workflow's current version; null once the workflow was deleted. */
  currentNodes: WorkflowNode[] | null
}

/** The run and what starting a copy of it needs, in one round trip; undefined when unknown. */
export async function readRunSource(db: D1Database, id: string): Promise<RunSource | undefined> {
  const [runs, steps, workflow, version, current] = await db.batch([
    db
      .prepare(
        `SELECT workflow_id, workflow_version, status, resumed_by, trigger, input FROM runs WHERE id = ?`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT step_index, status, error IS NOT NULL AS has_error FROM steps
         WHERE run_id = ? ORDER BY step_index`,
      )
      .bind(id),
    db
      .prepare(
        'SELECT w.version FROM workflows w JOIN runs r ON w.id = r.workflow_id WHERE r.id = ?',
      )
      .bind(id),
    db
      .prepare(
        `SELECT json_extract(v.definition, '$.nodes') AS nodes FROM workflow_versions v
         JOIN runs r ON v.workflow_id = r.workflow_id AND v.version = r.workflow_version
         WHERE r.id = ?`,
      )
      .bind(id),
    db
      .prepare(
        `SELECT json_extract(v.definition, '$.nodes') AS nodes FROM workflow_versions v
         JOIN workflows w ON v.workflow_id = w.id AND v.version = w.version
         JOIN runs r ON w.id = r.workflow_id WHERE r.id = ?`,
      )
      .bind(id),
  ])
  type Row = Pick<
    RunRow,
    'workflow_id' | 'workflow_version' | 'status' | 'resumed_by' | 'trigger' | 'input'
  >
  const row = (runs!.results as Row[])[0]
  if (!row) return undefined
  return {
    id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    resumedBy: row.resumed_by,
    triggerText: row.trigger,
    inputText: row.input,
    steps: (steps!.results as { step_index: number; status: string; has_error: number }[]).map(
      (s) => ({ index: s.step_index, status: s.status, hasError: s.has_error === 1 }),
    ),
    currentVersion: (workflow!.results as { version: number }[])[0]?.version ?? null,
    nodes: nodesOf((version!.results as { nodes: string }[])[0]?.nodes),
    currentNodes: nodesOf((current!.results as { nodes: string }[])[0]?.nodes),
  }
}

function nodesOf(text: string | undefined): WorkflowNode[] | null {
  return text === undefined ? null : (JSON.parse(text) as WorkflowNode[])
}

/** Who resumed a run: read when a resume lost its claim to another one. */
export async function readResumedBy(db: D1Database, id: string): Promise<string | null> {
  const row = await db
    .prepare('SELECT resumed_by FROM runs WHERE id = ?')
    .bind(id)
    .first<Pick<RunRow, 'resumed_by'>>()
  return row?.resumed_by ?? null
}
