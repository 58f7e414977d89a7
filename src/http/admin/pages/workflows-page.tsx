import type { WorkflowActivity } from '../../../store/run-stats'
import type { StoredWorkflow } from '../../../store/workflows'
import { CsrfField } from '../components/csrf-field'
import { percent } from './dashboard-page'
import { ErrorList, type ShownError } from '../components/field-errors'
import { Layout } from '../components/layout'
import { EnabledBadge, StatusBadge } from '../components/status-badge'

type WorkflowsPageProps = {
  workflows: StoredWorkflow[]
  activity: Map<string, WorkflowActivity>
  /** When each workflow with an unpublished draft saved it. */
  drafts?: Map<string, number>
  importErrors?: ShownError[]
}

export function triggerLabel(trigger: StoredWorkflow['trigger']): string {
  const t = trigger as {
    type: string
    cron?: string
    signature?: unknown
    source?: string
    every?: string
  }
  if (t.type === 'schedule' && t.cron) return `schedule ${t.cron}`
  if (t.type === 'poll' && t.source) return `poll ${t.source} every ${t.every ?? '5m'}`
  return t.signature ? `${t.type}, signed` : t.type
}

export function WorkflowsPage(props: WorkflowsPageProps) {
  const { workflows, activity, drafts = new Map(), importErrors = [] } = props
  return (
    <Layout title="Workflows" signedIn>
      <div class="page-head">
        <h1>Workflows</h1>
        <div class="actions">
          <a class="button primary" href="/admin/workflows/new">
            New workflow
          </a>
        </div>
      </div>
      <section class="card">
        {workflows.length === 0 ? (
          <p class="empty">
            No workflows yet. <a href="/admin/workflows/new">Create one</a> or import a JSON file
            below.
          </p>
        ) : (
          <div class="table-scroll">
            <table class="stack">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Trigger</th>
                  <th>State</th>
                  <th>Last run</th>
                  <th class="num">Runs 24 h</th>
                  <th class="num">Success 24 h</th>
                </tr>
              </thead>
              <tbody>
                {workflows.map((w) => {
                  const a = activity.get(w.id)
                  return (
                    <tr>
                      <td class="wide">
                        <a href={`/admin/workflows/${encodeURIComponent(w.id)}`}>{w.name}</a>{' '}
                        <span class="muted small">
                          v{w.version} · {w.nodes.length} {w.nodes.length === 1 ? 'node' : 'nodes'}
                        </span>
                        {drafts.has(w.id) ? (
                          <>
                            {' '}
                            <span
                              class="badge badge-draft"
                              title="It has a draft that nothing runs until it is published"
                            >
                              unpublished draft
                            </span>
                          </>
                        ) : null}
                      </td>
                      <td class="muted">{triggerLabel(w.trigger)}</td>
                      <td>
                        <EnabledBadge enabled={w.enabled} />
                      </td>
                      <td>
                        {a?.lastRun ? (
                          <a
                            href={`/admin/runs/${encodeURIComponent(a.lastRun.id)}`}
                            title="Last run"
                          >
                            <StatusBadge status={a.lastRun.status} />
                          </a>
                        ) : (
                          <span class="muted">never run</span>
                        )}
                      </td>
                      <td class="num" data-label="runs in 24 h">
                        {a?.runs ?? 0}
                      </td>
                      <td class="num" data-label="succeeded">
                        {percent(a?.succeeded ?? 0, a?.finished ?? 0)}
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Import</h2>
          <span class="muted small">a file from Export JSON, or any workflow definition</span>
        </div>
        <div class="card-body">
          <form method="post" action="/admin/workflows/import" enctype="multipart/form-data">
            <CsrfField />
            <ErrorList errors={importErrors} id="import-errors" title="Not imported:" />
            <div class="field">
              <label for="import-file">Workflow JSON file</label>
              <input
                id="import-file"
                name="file"
                type="file"
                accept="application/json,.json"
                required
                aria-describedby={importErrors.length ? 'import-errors' : undefined}
              />
            </div>
            <button type="submit">Import as a new workflow</button>
          </form>
        </div>
      </section>
    </Layout>
  )
}
