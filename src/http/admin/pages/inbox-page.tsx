import type { WorkflowLabel } from '../../../store/admin-queries'
import { Notice } from '../components/error-box'
import { INBOX_DAYS, type InboxRun, type ReconnectItem } from '../../../store/inbox'
import { Layout } from '../components/layout'
import { PostButton } from '../components/post-button'
import { stepReason } from '../lib/run-view'
import { Timestamp } from '../components/timestamp'
import { WorkflowName } from '../components/workflow-name'

type InboxPageProps = {
  runs: InboxRun[]
  /** oauth2 credentials whose grant is gone: one item each, however many runs they stopped. */
  reconnects?: ReconnectItem[]
  labels: Map<string, WorkflowLabel>
  nextCursor: string | null
  cursor?: string
  notice?: string
}

/** Why the run is here, in a word or two: which part of AutomateOS gave up on it. */
export function failureKind(error: InboxRun['error'], status = 'failed'): string {
  if (status === 'completed_with_errors') return 'completed with errors'
  if (error?.code === 'DEAD_LETTERED') return 'dead-lettered'
  if (error?.code === 'STUCK') return 'swept'
  if (error?.step) return `failed at step ${error.step.index + 1}`
  return 'failed'
}

function reason(error: InboxRun['error']): string {
  const message = error?.message ?? 'No error was recorded.'
  return error?.step ? stepReason({ nodeId: error.step.id }, message) : message
}

export function InboxPage({
  runs,
  reconnects = [],
  labels,
  nextCursor,
  cursor,
  notice,
}: InboxPageProps) {
  return (
    <Layout title="Inbox" signedIn>
      <div class="page-head">
        <div>
          <h1>Inbox</h1>
          <p class="muted small">
            Runs of the last {INBOX_DAYS} days that failed (stopped at a step, dead-lettered, or
            given up by the sweeper) or completed with errors. Resuming one runs it again from its
            first failed step and takes it out of here; or dismiss it.
          </p>
        </div>
      </div>
      <Notice text={notice} />
      {reconnects.length ? (
        <section class="card" aria-label="Credentials to reconnect">
          <ul class="steps">
            {reconnects.map((item) => (
              <li class="step status-failed" id={`reconnect-${item.name}`}>
                <div class="step-head">
                  <strong>
                    Credential <code>{item.name}</code> needs to be reconnected
                  </strong>
                  {item.since ? (
                    <span class="step-meta">
                      <Timestamp iso={item.since} /> UTC
                    </span>
                  ) : null}
                </div>
                <div class="error-box">
                  {item.note ?? 'The provider no longer accepts its grant.'} Runs that use it fail
                  with CREDENTIAL_NEEDS_RECONNECT until it is reconnected.
                </div>
                <div class="actions" style="margin-top: 10px">
                  <a
                    class="button primary"
                    href={`/admin/credentials/${encodeURIComponent(item.name)}`}
                  >
                    Reconnect
                  </a>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="card">
        {runs.length === 0 && reconnects.length === 0 ? (
          <p class="empty">Nothing to look at: no failed run is waiting.</p>
        ) : (
          <ul class="steps">
            {runs.map((run) => (
              <li class={`step status-${run.status}`} id={`inbox-${run.id}`}>
                <div class="step-head">
                  <strong>
                    <WorkflowName id={run.workflowId} label={labels.get(run.workflowId)} />
                  </strong>
                  <span class={`badge badge-${run.status}`}>
                    {failureKind(run.error, run.status)}
                  </span>
                  <a href={`/admin/runs/${encodeURIComponent(run.id)}`} title={run.id}>
                    run <code>{run.id.slice(-12)}</code>
                  </a>
                  <span class="step-meta">
                    <Timestamp iso={run.createdAt} /> UTC
                  </span>
                </div>
                <div class="error-box">{reason(run.error)}</div>
                <div class="actions" style="margin-top: 10px">
                  {labels.get(run.workflowId)?.exists ? (
                    <PostButton
                      action={`/admin/runs/${encodeURIComponent(run.id)}/resume`}
                      fields={{ from: 'inbox' }}
                      primary
                    >
                      Resume on v{run.workflowVersion}
                    </PostButton>
                  ) : null}
                  <PostButton
                    action={`/admin/runs/${encodeURIComponent(run.id)}/dismiss`}
                    fields={{ from: 'inbox' }}
                  >
                    Dismiss
                  </PostButton>
                </div>
              </li>
            ))}
          </ul>
        )}
        {cursor || nextCursor ? (
          <nav class="pager" aria-label="Pages of the inbox">
            {cursor ? <a href="/admin/inbox">← Newest</a> : null}
            {nextCursor ? (
              <a href={`/admin/inbox?cursor=${encodeURIComponent(nextCursor)}`}>Older →</a>
            ) : null}
          </nav>
        ) : null}
      </section>
    </Layout>
  )
}
