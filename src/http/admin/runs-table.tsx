import { formatDuration, runDurationMs, statusLabel } from './format'
import type { RunsView } from './load-runs'
import { RUN_STATUSES } from '../../store/runs'
import { StatusBadge } from './status-badge'
import { Timestamp } from './timestamp'
import { WorkflowName } from './workflow-name'

type RunsTableProps = RunsView & {
  /** The page the filter and pager links go back to. */
  basePath: string
  title: string
  showWorkflow?: boolean
}

function href(basePath: string, params: { status?: string; cursor?: string }) {
  const query = new URLSearchParams()
  if (params.status) query.set('status', params.status)
  if (params.cursor) query.set('cursor', params.cursor)
  const text = query.toString()
  return text ? `${basePath}?${text}` : basePath
}

export function RunsTable(props: RunsTableProps) {
  const { runs, labels, status, cursor, nextCursor, basePath, showWorkflow = true } = props
  return (
    <section class="card" id="runs">
      <div class="card-head">
        <h2>{props.title}</h2>
        <nav class="filters" aria-label="Filter runs by status">
          <a href={href(basePath, {})} aria-current={status ? undefined : 'page'}>
            all
          </a>
          {RUN_STATUSES.map((s) => (
            <a
              href={href(basePath, { status: s })}
              aria-current={s === status ? 'page' : undefined}
            >
              {statusLabel(s)}
            </a>
          ))}
        </nav>
      </div>
      {runs.length === 0 ? (
        <p class="empty">
          {status ? `No ${statusLabel(status)} runs.` : 'No runs yet.'}
          {cursor ? '' : ' Runs appear here once a webhook or a manual start queues one.'}
        </p>
      ) : (
        <div class="table-scroll">
          <table class="stack">
            <thead>
              <tr>
                <th>Status</th>
                {showWorkflow ? <th>Workflow</th> : null}
                <th>Run</th>
                <th class="hide-sm">Trigger</th>
                <th>Created (UTC)</th>
                <th class="num">Duration</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr>
                  <td>
                    <StatusBadge status={run.status} />
                  </td>
                  {showWorkflow ? (
                    <td>
                      <WorkflowName id={run.workflowId} label={labels.get(run.workflowId)} />
                    </td>
                  ) : null}
                  <td class="nowrap">
                    <a href={`/admin/runs/${encodeURIComponent(run.id)}`} title={run.id}>
                      <code>{run.id.slice(-12)}</code>
                    </a>
                    <span class="muted small"> v{run.workflowVersion}</span>
                  </td>
                  <td class="hide-sm muted">{run.trigger?.type ?? '—'}</td>
                  <td class="nowrap">
                    <Timestamp iso={run.createdAt} />
                  </td>
                  <td class="num nowrap">{formatDuration(runDurationMs(run))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor || nextCursor ? (
        <nav class="pager">
          {cursor ? <a href={href(basePath, { status })}>← Newest</a> : null}
          {nextCursor ? (
            <a href={href(basePath, { status, cursor: nextCursor })}>Older runs →</a>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}
