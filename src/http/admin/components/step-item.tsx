import { ErrorBox, type ErrorInfo } from './error-box'
import { formatDuration } from '../lib/format'
import { JsonDetails } from './json-details'
import { type EarlyEnd, type Step, stepReason, timelineSpan } from '../lib/run-view'
import { StatusBadge } from './status-badge'

type StepItemProps = {
  step: Step
  axis: { start: number; end: number } | null
  /** Set on the step whose node ended the run early. */
  endedRun?: EarlyEnd
  /** A skipped step whose reason the run's summary already gives (the run stopped or ended). */
  quietSkip?: boolean
  /** The node's config as the workflow's version holds it (sent as it is when it has no templates). */
  written?: Record<string, unknown>
}

export function StepItem({ step, axis, endedRun, quietSkip, written }: StepItemProps) {
  const error = step.error as ErrorInfo | null
  const skipped = step.status === 'skipped'
  const number = step.index + 1
  const span = axis && !skipped && !step.reusedFrom ? timelineSpan(step, axis) : null
  return (
    <li class={`step status-${step.status}`} id={`step-${number}`}>
      <div class="step-head">
        <span class="step-index" aria-label={`Step ${number}`}>
          {number}
        </span>
        <strong class="step-title">{step.nodeName ?? step.nodeId}</strong>
        {step.nodeName ? <code>{step.nodeId}</code> : null}
        <span class="muted">{step.nodeType}</span>
        <StatusBadge status={step.status} />
        {endedRun ? <span class="badge badge-early">ended the run</span> : null}
        {step.reusedFrom ? <span class="badge badge-reused">reused</span> : null}
        <span class="step-meta">
          {step.reusedFrom
            ? 'not run again'
            : skipped
              ? 'not run'
              : `${step.attempts} ${step.attempts === 1 ? 'attempt' : 'attempts'} · ${formatDuration(step.durationMs)}`}
        </span>
      </div>
      {span ? (
        <div class="bar" title={`${formatDuration(step.durationMs)} of the run's time line`}>
          <span style={`left: ${span.left}%; width: ${span.width}%`} />
        </div>
      ) : null}
      {step.reusedFrom ? (
        <div class="note-box">
          Reused from{' '}
          <a href={`/admin/runs/${encodeURIComponent(step.reusedFrom)}#step-${number}`}>
            run <code>{step.reusedFrom.slice(-12)}</code>
          </a>
          , where its node ran; it was not called again in this run.
        </div>
      ) : null}
      {endedRun ? (
        <div class="warn-box">
          Ended the run here: {endedRun.reason}. The {endedRun.skipped} step
          {endedRun.skipped === 1 ? '' : 's'} after it did not run.
        </div>
      ) : null}
      {error && skipped && !quietSkip ? (
        <div class="note-box">{(error.message ?? '').replace(/^skipped: /, 'Skipped: ')}</div>
      ) : null}
      {error && !skipped ? (
        <ErrorBox error={{ ...error, message: stepReason(step, error.message ?? '') }} />
      ) : null}
      {error?.details !== undefined && !skipped ? (
        <JsonDetails id={`step-${number}-error`} label="Error details" value={error.details} />
      ) : null}
      {skipped ? null : (
        <>
          <JsonDetails id={`step-${number}-input`} label="Input" value={step.input} />
          <StepConfig step={step} written={written} />
          {step.status === 'failed' && step.output === null ? null : (
            <JsonDetails id={`step-${number}-output`} label="Output" value={step.output} />
          )}
        </>
      )}
    </li>
  )
}

/**
 * What the node was given: its config with templates filled in and known secrets redacted, as
 * the API's step `config`; a node with no templates to fill recorded none and got its config as
 * written. Closed: it is for when a step did something unexpected.
 */
function StepConfig({ step, written }: { step: Step; written?: Record<string, unknown> }) {
  const id = `step-${step.index + 1}-config`
  if (step.config !== null && step.config !== undefined)
    return (
      <JsonDetails
        id={id}
        label="Config as sent (templates filled in)"
        value={step.config}
        open={false}
      />
    )
  // With a template in it, a config recorded as nothing was never filled in (the step failed first).
  if (!written || step.reusedFrom || JSON.stringify(written).includes('{{')) return null
  return (
    <JsonDetails
      id={id}
      label="Config as sent (as written, no templates)"
      value={written}
      open={false}
    />
  )
}
