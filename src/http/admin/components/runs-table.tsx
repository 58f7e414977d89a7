import type { Child } from 'hono/jsx'
import { formatDuration, runDurationMs } from '../lib/format'
import type { RunSummary, RunsView } from '../lib/load-runs'
import { stepReason } from '../lib/run-view'
import { StatusBadge } from './status-badge'
import { Timestamp } from './timestamp'
import { WorkflowName } from './workflow-name'

type RunsTableProps = Pick<RunsView, 'runs' | 'labels'> & {
  title: string
  /** An id for the live refresh to find the table by. */
  id?: string
  showWorkflow?: boolean
  emptyText?: string
  /** Links in the card's head, e.g. "All runs". */
  headExtra?: Child
  /** Newer and older pages, when there are any. */
  pager?: { newest?: string; older?: string }
  /** Whether the table reloads itself: some run on it is still queued or running. */
  live?: boolean
}

export const IN_PROGRESS = new Set(['queued', 'running'])

export function RunsTable(props: RunsTableProps) {
  const { runs, labels, showWorkflow = true, pager, id = 'runs' } = props
  return (
    <section class="card" id={id} data-live={props.live ? '' : undefined} aria-live="polite">
      <div class="card-head">
        <h2>{props.title}</h2>
        {props.headExtra ?? null}
      </div>
      {runs.length === 0 ? (
        <p class="empty">{props.emptyText ?? 'No runs yet.'}</p>
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
              {runs.map((run) => {
                const error = run.status !== 'succeeded' ? errorLine(run.error) : undefined
                return (
                  <>
                    <tr class={error ? 'has-error' : undefined}>
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
                    {error ? (
                      <tr class="error-row">
                        <td colspan={showWorkflow ? 6 : 5} class="wide">
                          <span class="error-line" title={error}>
                            {firstLine(error)}
                          </span>
                        </td>
                      </tr>
                    ) : null}
                  </>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {pager?.newest || pager?.older ? (
        <nav class="pager" aria-label="Pages of runs">
          {pager.newest ? <a href={pager.newest}>← Newest</a> : null}
          {pager.older ? <a href={pager.older}>Older runs →</a> : null}
        </nav>
      ) : null}
    </section>
  )
}

/** A failed step's error said with the page's step numbers (from 1), not the engine's. */
function errorLine(error: RunSummary['error']): string | undefined {
  const info = error as { message?: string; step?: { index: number; id: string } } | null
  if (!info?.message) return undefined
  if (!info.step) return info.message
  return `Step ${info.step.index + 1} (${info.step.id}): ${stepReason({ nodeId: info.step.id }, info.message)}`
}

function firstLine(text: string) {
  const line = text.split('\n')[0] ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}
