import { IF_FALSE } from '../../../engine/map-step'
import type { getRun } from '../../../store/runs'

export type Run = NonNullable<Awaited<ReturnType<typeof getRun>>>
export type Step = Run['steps'][number]

export type EarlyEnd = {
  /** The step (0-based) whose node ended the run, e.g. a filter whose condition was false. */
  index: number
  reason: string
  skipped: number
}

/**
 * A run a node ended early (a filter's false condition) succeeded like a full run; it is told
 * apart by its tail: every step after a succeeded one skipped, for one and the same reason.
 * A step its own `if` skipped was not skipped by the step before it, even at the end of the list.
 */
export function earlyEnd(run: Pick<Run, 'status' | 'steps'>): EarlyEnd | null {
  if (run.status !== 'succeeded' && run.status !== 'completed_with_errors') return null
  const last = run.steps[run.steps.length - 1]
  const reason = last ? skipReason(last) : null
  if (reason === null || reason.startsWith(IF_FALSE)) return null
  let first = run.steps.length - 1
  while (first > 0 && skipReason(run.steps[first - 1]!) === reason) first--
  if (first < 1 || run.steps[first - 1]!.status !== 'succeeded') return null
  return { index: first - 1, reason, skipped: run.steps.length - first }
}

function skipReason(step: Step): string | null {
  const error = step.error as { message?: string; code?: string } | null
  if (error?.code !== 'SKIPPED' || typeof error.message !== 'string') return null
  return error.message.replace(/^skipped: /, '')
}

/**
 * The reason alone: the engine's step error starts by naming the node ("Step 2 'notify'
 * (http-request) failed: ..."), which the timeline already shows in the step's heading.
 */
export function stepReason(step: Pick<Step, 'nodeId'>, message: string): string {
  const prefix = /^Step \d+ '([^']*)' \(.*?\) failed: /.exec(message)
  return prefix && prefix[1] === step.nodeId ? message.slice(prefix[0].length) : message
}

/** Where a step sits on the run's time axis, in percent, for its duration bar. */
export function timelineSpan(
  step: Pick<Step, 'startedAt' | 'finishedAt' | 'durationMs'>,
  axis: { start: number; end: number },
): { left: number; width: number } | null {
  if (!step.startedAt || step.durationMs === null || step.durationMs === undefined) return null
  const total = Math.max(1, axis.end - axis.start)
  const left = Math.min(100, Math.max(0, ((Date.parse(step.startedAt) - axis.start) / total) * 100))
  const width = Math.min(100 - left, Math.max(0.5, (step.durationMs / total) * 100))
  return { left: round(left), width: round(width) }
}

/** The run's time axis: from its first step (or start) to its end (or now, while it runs). */
export function timelineAxis(run: Run, now = Date.now()) {
  // A reused step ran in an earlier run: its times would stretch this run's axis back to then.
  const own = run.steps.filter((s) => !s.reusedFrom)
  const starts = own.flatMap((s) => (s.startedAt ? [Date.parse(s.startedAt)] : []))
  const ends = own.flatMap((s) => (s.finishedAt && s.startedAt ? [Date.parse(s.finishedAt)] : []))
  const start = Math.min(...starts, run.startedAt ? Date.parse(run.startedAt) : Infinity)
  const end = Math.max(...ends, run.finishedAt ? Date.parse(run.finishedAt) : now)
  return Number.isFinite(start) ? { start, end: Math.max(end, start + 1) } : null
}

const round = (n: number) => Math.round(n * 100) / 100

// Small payloads are open by default: a 5-step run should read without 13 clicks.
const OPEN_CHARS = 1200
const OPEN_LINES = 30

export function isSmall(text: string) {
  return text.length <= OPEN_CHARS && text.split('\n').length <= OPEN_LINES
}
