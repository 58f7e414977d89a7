import type { CostEstimate } from '../lib/run-cost'
import type { Overview } from '../../../store/run-stats'
import { formatDuration } from '../lib/format'
import { Layout } from '../components/layout'
import type { RunsView } from '../lib/load-runs'
import { RunsChart } from '../components/runs-chart'
import { IN_PROGRESS, RunsTable } from '../components/runs-table'

type DashboardProps = {
  overview: Overview
  cost: CostEstimate
  runs: RunsView
  workflowCount: number
  inboxCount: number
}

export function percent(part: number, whole: number): string {
  if (whole === 0) return '—'
  const value = (part / whole) * 100
  if (value === 0 || value === 100) return `${value}%`
  return `${value < 10 || value > 99 ? value.toFixed(1) : value.toFixed(0)}%`
}

export function usd(value: number): string {
  if (value === 0) return '$0.00'
  if (value < 0.01) return `$${value.toFixed(4)}`
  return `$${value.toFixed(2)}`
}

export function DashboardPage({ overview, cost, runs, workflowCount, inboxCount }: DashboardProps) {
  return (
    <Layout signedIn>
      <div class="page-head">
        <div>
          <h1>Dashboard</h1>
          <p class="muted small">The last 24 hours, in UTC hours.</p>
        </div>
        <div class="actions">
          <a class="button primary" href="/admin/workflows/new">
            New workflow
          </a>
        </div>
      </div>
      <div class="stats">
        <Stat label="Runs, 24 h" value={String(overview.runs)} />
        <Stat
          label="Success rate"
          value={percent(overview.succeeded, overview.finished)}
          hint={`${overview.succeeded} of ${overview.finished} finished`}
        />
        <Stat label="p50 duration" value={formatDuration(overview.p50Ms)} />
        <Stat label="p95 duration" value={formatDuration(overview.p95Ms)} />
        <Stat
          label="Cost, 24 h"
          value={usd(cost.usd)}
          hint={`list prices of ${cost.pricesReadOn}, before included usage`}
        />
        <Stat
          label="Inbox"
          value={String(inboxCount)}
          hint={inboxCount ? 'runs to look at' : 'nothing to look at'}
          href="/admin/inbox"
        />
      </div>
      <section class="card">
        <div class="card-head">
          <h2>Runs per hour</h2>
          <span class="muted small">
            {workflowCount} workflow{workflowCount === 1 ? '' : 's'} · {overview.steps} steps
          </span>
        </div>
        <div class="card-body">
          <RunsChart hours={overview.hours} />
        </div>
      </section>
      <RunsTable
        runs={runs.runs}
        labels={runs.labels}
        title="Latest runs"
        id="latest-runs"
        live={runs.runs.some((r) => IN_PROGRESS.has(r.status))}
        headExtra={<a href="/admin/runs">All runs</a>}
        emptyText="No runs yet. Create a workflow, then post to its webhook URL or use Run now."
      />
    </Layout>
  )
}

function Stat(props: { label: string; value: string; hint?: string; href?: string }) {
  return (
    <div class="stat">
      <p class="label">{props.label}</p>
      <div class="value">{props.href ? <a href={props.href}>{props.value}</a> : props.value}</div>
      {props.hint ? <div class="small muted">{props.hint}</div> : null}
    </div>
  )
}
