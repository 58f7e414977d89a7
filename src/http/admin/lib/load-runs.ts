import { type WorkflowLabel, workflowLabels } from '../../../store/admin-queries'
import { RUN_STATUSES, listRuns } from '../../../store/runs'

export const RUNS_PER_PAGE = 50

export type RunStatus = (typeof RUN_STATUSES)[number]
export type RunSummary = Awaited<ReturnType<typeof listRuns>>['runs'][number]

/** The time filter's choices: how far back from now. */
export const SINCE = {
  '1h': { label: 'last hour', ms: 3_600_000 },
  '24h': { label: 'last 24 hours', ms: 24 * 3_600_000 },
  '7d': { label: 'last 7 days', ms: 7 * 24 * 3_600_000 },
  '30d': { label: 'last 30 days', ms: 30 * 24 * 3_600_000 },
} as const
export type Since = keyof typeof SINCE

export type RunsFilter = { workflowId?: string; status?: RunStatus; since?: Since }

export type RunsView = {
  runs: RunSummary[]
  labels: Map<string, WorkflowLabel>
  filter: RunsFilter
  cursor?: string
  nextCursor: string | null
}

/** An unknown ?status= shows every run rather than an error: it is a link someone mistyped. */
export function parseStatus(value: string | undefined): RunStatus | undefined {
  return RUN_STATUSES.find((s) => s === value)
}

export function parseFilter(query: Record<string, string | undefined>): RunsFilter {
  const since = query.since && query.since in SINCE ? (query.since as Since) : undefined
  return {
    workflowId: query.workflowId || undefined,
    status: parseStatus(query.status),
    since,
  }
}

/** The query string of a filter (and page), for links that keep it. */
export function filterQuery(filter: RunsFilter, cursor?: string): string {
  const query = new URLSearchParams()
  if (filter.workflowId) query.set('workflowId', filter.workflowId)
  if (filter.status) query.set('status', filter.status)
  if (filter.since) query.set('since', filter.since)
  if (cursor) query.set('cursor', cursor)
  const text = query.toString()
  return text ? `?${text}` : ''
}

export async function loadRuns(
  db: D1Database,
  filter: RunsFilter,
  options: { cursor?: string; limit?: number; now?: number } = {},
): Promise<RunsView> {
  const cursor = options.cursor || undefined
  const { runs, nextCursor } = await listRuns(db, {
    workflowId: filter.workflowId,
    status: filter.status,
    since: filter.since ? (options.now ?? Date.now()) - SINCE[filter.since].ms : undefined,
    cursor,
    limit: options.limit ?? RUNS_PER_PAGE,
  })
  const labels = await workflowLabels(
    db,
    runs.map((r) => r.workflowId),
  )
  return { runs, labels, filter, cursor, nextCursor }
}
