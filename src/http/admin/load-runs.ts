import { type WorkflowLabel, workflowLabels } from '../../store/admin-queries'
import { RUN_STATUSES, listRuns } from '../../store/runs'

export const RUNS_PER_PAGE = 50

export type RunStatus = (typeof RUN_STATUSES)[number]
export type RunSummary = Awaited<ReturnType<typeof listRuns>>['runs'][number]

export type RunsView = {
  runs: RunSummary[]
  labels: Map<string, WorkflowLabel>
  status?: RunStatus
  cursor?: string
  nextCursor: string | null
}

/** An unknown ?status= shows every run rather than an error: it is a link someone mistyped. */
export function parseStatus(value: string | undefined): RunStatus | undefined {
  return RUN_STATUSES.find((s) => s === value)
}

export async function loadRuns(
  db: D1Database,
  query: { workflowId?: string; status?: string; cursor?: string },
): Promise<RunsView> {
  const status = parseStatus(query.status)
  const cursor = query.cursor || undefined
  const { runs, nextCursor } = await listRuns(db, {
    workflowId: query.workflowId,
    status,
    cursor,
    limit: RUNS_PER_PAGE,
  })
  const labels = await workflowLabels(
    db,
    runs.map((r) => r.workflowId),
  )
  return { runs, labels, status, cursor, nextCursor }
}
