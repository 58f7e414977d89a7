import type { getRun } from '../../store/runs'
import { ErrorBox, type ErrorInfo } from './error-box'
import { formatDuration } from './format'
import { JsonDetails } from './json-details'
import { StatusBadge } from './status-badge'

type Step = NonNullable<Awaited<ReturnType<typeof getRun>>>['steps'][number]

export function StepItem({ step }: { step: Step }) {
  const error = step.error as ErrorInfo | null
  // A skipped node did not go wrong: its "error" is the reason it was passed over.
  const skipped = step.status === 'skipped'
  return (
    <li class="step" id={`step-${step.index}`}>
      <div class="step-head">
        <span class="step-index">#{step.index}</span>
        <strong>{step.nodeName ?? step.nodeId}</strong>
        {step.nodeName ? <code>{step.nodeId}</code> : null}
        <span class="muted">{step.nodeType}</span>
        <StatusBadge status={step.status} />
        <span class="step-meta">
          {skipped
            ? 'not run'
            : `${step.attempts} ${step.attempts === 1 ? 'attempt' : 'attempts'} · ${formatDuration(step.durationMs)}`}
        </span>
      </div>
      {error ? <ErrorBox error={error} tone={skipped ? 'note' : 'error'} /> : null}
      {error?.details !== undefined ? (
        <JsonDetails label="Error details" value={error.details} />
      ) : null}
      <JsonDetails label="Input" value={step.input} />
      <JsonDetails label="Output" value={step.output} />
    </li>
  )
}
