import type { NodeDefinition } from '../nodes/define-node'
import type { WorkflowNode } from '../workflow/definition'

/** At most `calls` calls per `intervalMs`. */
export type Pace = { calls: number; intervalMs: number }

/** A forEach's pace: the node's own `rateLimit`, else the documented one of the app it calls. */
export function paceOf(
  definition: NodeDefinition | undefined,
  node: Pick<WorkflowNode, 'rateLimit'>,
): Pace | undefined {
  return node.rateLimit ?? definition?.service?.rateLimit
}

/**
 * Spaces a forEach's element starts `intervalMs / calls` apart: evenly, rather than `calls` at
 * once and then a pause, so no window of `intervalMs` ever holds more than `calls` starts, and a
 * long interval (Sheets: 60 a minute) means a short wait between elements, not a minute's stall.
 * The first element of a message starts at once: a message that continues a forEach was sent
 * with the rest of the wait as its delay.
 */
export function pacer(pace: Pace | undefined) {
  const gapMs = pace ? pace.intervalMs / pace.calls : 0
  let nextAt = 0
  return {
    /** How long until the next element may start. */
    waitMs: (now = Date.now()) => Math.max(0, Math.ceil(nextAt - now)),
    /** An element started now. */
    started(now = Date.now()) {
      nextAt = now + gapMs
    },
  }
}

export type Pacer = ReturnType<typeof pacer>
