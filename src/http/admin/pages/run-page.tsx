import type { Child } from 'hono/jsx'
import type { WorkflowLabel } from '../../../store/admin-queries'
import type { WorkflowNode } from '../../../workflow/definition'
import { ErrorBox, type ErrorInfo } from '../components/error-box'
import { formatDuration, runDurationMs } from '../lib/format'
import { JsonDetails } from '../components/json-details'
import { Layout } from '../components/layout'
import { type Run, earlyEnd, timelineAxis } from '../lib/run-view'
import { IN_PROGRESS } from '../components/runs-table'
import { StatusBadge } from '../components/status-badge'
import { StepItem } from '../components/step-item'
import { Timestamp } from '../components/timestamp'
import { WorkflowName } from '../components/workflow-name'

type RunPageProps = {
  run: Run
  workflow: WorkflowLabel | undefined
  /** Buttons for what can be done with a finished run (replay, resume, dismiss). */
  actions?: Child
  /** The nodes of the version it ran, for the config of a step that had no templates to fill. */
  nodes?: WorkflowNode[]
}

export function RunPage({ run, workflow, actions, nodes }: RunPageProps) {
  const live = IN_PROGRESS.has(run.status)
  const ended = earlyEnd(run)
  const axis = timelineAxis(run)
  const replays = run.copies.filter((copy) => copy.kind === 'replay')
  return (
    <Layout title={`Run ${run.id.slice(-12)}`} signedIn refreshSeconds={live ? 2 : undefined}>
      <div id="run" data-live={live ? '' : undefined}>
        <div class="page-head">
          <div>
            <h1>
              Run <code>{run.id}</code> <StatusBadge status={run.status} />
              {ended ? <span class="badge badge-early">ended early</span> : null}
            </h1>
            {live ? (
              <p class="muted small" role="status">
                In progress: this page follows it until it finishes.
              </p>
            ) : null}
          </div>
          {!live && actions ? <div class="actions">{actions}</div> : null}
        </div>
        <section class="card">
          <div class="card-body">
            <dl class="facts">
              <Fact term="Workflow">
                <WorkflowName id={run.workflowId} label={workflow} />{' '}
                <span class="muted small">v{run.workflowVersion}</span>
              </Fact>
              <Fact term="Trigger">{triggerWords(run.trigger)}</Fact>
              {run.resumedFrom ? (
                <Fact term="Resumed from">
                  <RunLink id={run.resumedFrom} />
                </Fact>
              ) : null}
              {run.replayOf ? (
                <Fact term="Replay of">
                  <RunLink id={run.replayOf} />
                </Fact>
              ) : null}
              {run.resumedBy ? (
                <Fact term="Resumed by">
                  <RunLink id={run.resumedBy} />
                </Fact>
              ) : null}
              {replays.length ? (
                <Fact term="Replayed by">
                  {replays.map((copy, i) => (
                    <>
                      {i ? ', ' : null}
                      <RunLink id={copy.id} />
                    </>
                  ))}
                </Fact>
              ) : null}
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
            {run.waitingFor ? <WaitNote wait={run.waitingFor} /> : null}
            <Outcome run={run} />
            {ended ? (
              <div class="warn-box">
                A node ended this run early:{' '}
                <a href={`#step-${ended.index + 1}`}>
                  step {ended.index + 1} ({run.steps[ended.index]!.nodeId})
                </a>
                , {ended.reason}. {ended.skipped} step{ended.skipped === 1 ? '' : 's'} did not run.
              </div>
            ) : null}
            <JsonDetails id="run-input" label="Run input" value={run.input} />
            {run.output !== null ? (
              <JsonDetails id="run-output" label="Run output" value={run.output} />
            ) : null}
            <JsonDetails id="run-trigger" label="Trigger" value={run.trigger} open={false} />
          </div>
        </section>
        <section class="card">
          <div class="card-head">
            <h2>Steps</h2>
            <span class="muted small">{run.steps.length} recorded</span>
          </div>
          {run.steps.length === 0 && !run.waitingFor ? (
            <p class="empty">No step has finished yet.</p>
          ) : (
            <ol class="steps">
              {run.steps.map((step) => (
                <StepItem
                  step={step}
                  axis={axis}
                  endedRun={ended?.index === step.index ? ended : undefined}
                  quietSkip={Boolean(ended) || run.status === 'failed'}
                  written={nodes?.find((node) => node.id === step.nodeId)?.config}
                />
              ))}
              {run.waitingFor ? <WaitingStep wait={run.waitingFor} /> : null}
            </ol>
          )}
        </section>
      </div>
    </Layout>
  )
}

/**
 * How the run ended, said once: a failed step's reason is shown at that step, so here only a
 * link to it; an error that belongs to no step (dead-lettered, swept) is shown here in full.
 */
function Outcome({ run }: { run: Run }) {
  const error = run.error as (ErrorInfo & { step?: { index: number; id: string } }) | null
  if (!error) return null
  if (run.status === 'failed' && error.step && run.steps[error.step.index]) {
    const number = error.step.index + 1
    return (
      <div class="error-box" role="alert">
        Failed at{' '}
        <a href={`#step-${number}`}>
          step {number} ({error.step.id})
        </a>
        ; the reason is below.
      </div>
    )
  }
  const tone = run.status === 'completed_with_errors' ? 'warn' : 'error'
  return (
    <>
      <ErrorBox error={error} tone={tone} />
      {error.details !== undefined ? (
        <JsonDetails id="run-error" label="Error details" value={error.details} />
      ) : null}
    </>
  )
}

/** A node waiting for a delayed retry has no step row yet; without this the run looks stuck. */
function RetryNote({ wait }: { wait: NonNullable<Run['waitingForRetry']> }) {
  const lastError = wait.lastError as ErrorInfo | null
  return (
    <>
      <div class="note-box">
        Step {wait.stepIndex + 1} failed {wait.attemptsSoFar} time(s) and is tried again at{' '}
        <Timestamp iso={wait.nextAttemptAt} /> (UTC).
      </div>
      {lastError ? <ErrorBox error={lastError} tone="warn" /> : null}
    </>
  )
}

type Waiting = NonNullable<Run['waitingFor']>

/** What a paused step waits for, in words: its row is written only when the wait ends. */
function waitWords(wait: Waiting) {
  if (wait.for === 'delay') return 'waits out a delay'
  if (wait.for === 'webhook')
    return wait.delivered
      ? 'got the call it waited for and goes on shortly'
      : 'waits for a call to its resume URL'
  return `waits for ${wait.for}`
}

/** A run paused at a step (delay, wait-for-webhook) has no row for it yet: say what it waits for. */
function WaitNote({ wait }: { wait: Waiting }) {
  const number = wait.stepIndex + 1
  return (
    <div class="note-box" role="status">
      Paused at{' '}
      <a href={`#step-${number}`}>
        step {number} ({wait.nodeId})
      </a>
      , which {waitWords(wait)}
      {wait.delivered ? (
        '.'
      ) : (
        <>
          {' '}
          until <Timestamp iso={wait.until} /> (UTC){wait.for === 'webhook' ? ' at the latest' : ''}
          .
        </>
      )}
    </div>
  )
}

/** The paused step in the time line, after the finished ones. */
function WaitingStep({ wait }: { wait: Waiting }) {
  const number = wait.stepIndex + 1
  return (
    <li class="step status-waiting" id={`step-${number}`}>
      <div class="step-head">
        <span class="step-index" aria-label={`Step ${number}`}>
          {number}
        </span>
        <strong class="step-title">{wait.nodeId}</strong>
        <span class="badge badge-waiting">waiting</span>
        <span class="step-meta">
          since <Timestamp iso={wait.since} />, until <Timestamp iso={wait.until} /> (UTC)
        </span>
      </div>
      <div class="note-box">
        This step {waitWords(wait)}; its input, output and config are recorded when it ends.
      </div>
    </li>
  )
}

/** Another run, by the end of its id (the whole id on hover). */
/** The trigger type, with who or what started it where the trigger records that. */
function triggerWords(trigger: unknown) {
  const t = (trigger ?? {}) as { type?: string; tool?: string; calledBy?: string; source?: string }
  if (t.type === 'mcp' && t.tool) return `mcp: tool ${t.tool}, called by ${t.calledBy ?? '?'}`
  if (t.type === 'poll' && t.source) return `poll: ${t.source}`
  return t.type ?? '—'
}

export function RunLink({ id }: { id: string }) {
  return (
    <a href={`/admin/runs/${encodeURIComponent(id)}`} title={id}>
      run <code>{id.slice(-12)}</code>
    </a>
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
