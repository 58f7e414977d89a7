import type { Child } from 'hono/jsx'
import type { getRun } from '../../store/runs'
import type { WorkflowLabel } from '../../store/admin-queries'
import { formatDuration, runDurationMs } from './format'
import { ErrorBox, type ErrorInfo } from './error-box'
import { JsonDetails } from './json-details'
import { Layout } from './layout'
import { StatusBadge } from './status-badge'
import { StepItem } from './step-item'
import { Timestamp } from './timestamp'
import { WorkflowName } from './workflow-name'

type Run = NonNullable<Awaited<ReturnType<typeof getRun>>>

const IN_PROGRESS = new Set(['queued', 'running'])

export function RunPage({ run, workflow }: { run: Run; workflow: WorkflowLabel | undefined }) {
  const live = IN_PROGRESS.has(run.status)
  const error = run.error as ErrorInfo | null
  return (
    <Layout title={`Run ${run.id}`} signedIn refreshSeconds={live ? 2 : undefined}>
      <div class="page-head">
        <h1>
          Run <code>{run.id}</code> <StatusBadge status={run.status} />
        </h1>
        {live ? <p class="muted small">In progress: this page reloads every 2 seconds.</p> : null}
      </div>
      <section class="card">
        <div class="card-body">
          <dl class="facts">
            <Fact term="Workflow">
              <WorkflowName id={run.workflowId} label={workflow} />{' '}
              <span class="muted small">v{run.workflowVersion}</span>
            </Fact>
            <Fact term="Trigger">{run.trigger?.type ?? '—'}</Fact>
            <Fact term="Duration">{formatDuration(runDurationMs(run))}</Fact>
            <Fact term="Created (UTC)">
              <Timestamp iso={run.createdAt} />
            </Fact>
            <Fact term="Started (UTC)">
              <Timestamp iso={run.startedAt} />
            </Fact>
            <Fact term="Finished (UTC)">
              <Timestamp iso={run.finishedAt} />
            </Fact>
          </dl>
          {run.waitingForRetry ? <RetryNote wait={run.waitingForRetry} /> : null}
          {error ? (
            <ErrorBox
              error={error}
              tone={run.status === 'completed_with_errors' ? 'warn' : 'error'}
            />
          ) : null}
          {error && hasMoreThanMessage(error) ? (
            <JsonDetails label="Error details" value={error} />
          ) : null}
          <JsonDetails label="Run input" value={run.input} />
          <JsonDetails label="Run output" value={run.output} />
          <JsonDetails label="Trigger" value={run.trigger} />
        </div>
      </section>
      <section class="card">
        <div class="card-head">
          <h2>Steps</h2>
          <span class="muted small">{run.steps.length} recorded</span>
        </div>
        {run.steps.length === 0 ? (
          <p class="empty">No step has finished yet.</p>
        ) : (
          <ol class="steps">
            {run.steps.map((step) => (
              <StepItem step={step} />
            ))}
          </ol>
        )}
      </section>
    </Layout>
  )
}

/** A node waiting for a delayed retry has no step row yet; without this the run looks stuck. */
function RetryNote({ wait }: { wait: NonNullable<Run['waitingForRetry']> }) {
  const lastError = wait.lastError as ErrorInfo | null
  return (
    <>
      <div class="note-box">
        Step {wait.stepIndex} failed {wait.attemptsSoFar} time(s) and is tried again at{' '}
        <Timestamp iso={wait.nextAttemptAt} /> (UTC).
      </div>
      {lastError ? <ErrorBox error={lastError} tone="warn" /> : null}
    </>
  )
}

function Fact({ term, children }: { term: string; children?: Child }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

function hasMoreThanMessage(error: ErrorInfo) {
  return Object.keys(error).some((key) => key !== 'message' && key !== 'code')
}
