import type { StoredWorkflow } from '../../../store/workflows'
import { RUN_STATUSES } from '../../../store/runs'
import { statusLabel } from '../lib/format'
import { Layout } from '../components/layout'
import { SINCE, filterQuery, type RunsView } from '../lib/load-runs'
import { IN_PROGRESS, RunsTable } from '../components/runs-table'

type RunsPageProps = { view: RunsView; workflows: Pick<StoredWorkflow, 'id' | 'name'>[] }

export function RunsPage({ view, workflows }: RunsPageProps) {
  const { filter, cursor, nextCursor } = view
  const filtered = Boolean(filter.workflowId || filter.status || filter.since)
  return (
    <Layout title="Runs" signedIn>
      <div class="page-head">
        <h1>Runs</h1>
      </div>
      <section class="card">
        <div class="card-body">
          {/* A GET form: the filter is in the address, so it can be bookmarked and shared. */}
          <form method="get" action="/admin/runs" class="filter-form" role="search">
            <label>
              Workflow
              <select name="workflowId">
                <option value="">any workflow</option>
                {workflows.map((w) => (
                  <option value={w.id} selected={w.id === filter.workflowId}>
                    {w.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Status
              <select name="status">
                <option value="">any status</option>
                {RUN_STATUSES.map((s) => (
                  <option value={s} selected={s === filter.status}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Created
              <select name="since">
                <option value="">any time</option>
                {Object.entries(SINCE).map(([value, { label }]) => (
                  <option value={value} selected={value === filter.since}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" class="primary">
              Show runs
            </button>
            {filtered ? <a href="/admin/runs">Clear filters</a> : null}
          </form>
        </div>
      </section>
      <RunsTable
        runs={view.runs}
        labels={view.labels}
        title={filtered ? 'Matching runs' : 'All runs'}
        emptyText={filtered ? 'No run matches these filters.' : 'No runs yet.'}
        live={!cursor && view.runs.some((r) => IN_PROGRESS.has(r.status))}
        pager={{
          newest: cursor ? `/admin/runs${filterQuery(filter)}` : undefined,
          older: nextCursor ? `/admin/runs${filterQuery(filter, nextCursor)}` : undefined,
        }}
      />
    </Layout>
  )
}
