import type { ErrorInfo } from '../errors'

/**
 * A step that paused its run (see suspendRun in src/nodes/define-node.ts), as the runs row keeps
 * it while no consumer holds the run. The step row is written when the wait ends.
 */
export type Waiting = {
  /** The waiting step. */
  index: number
  nodeId: string
  /** What it waits for, as the node said: 'delay', 'webhook'. */
  for: string
  /** When the node started (the step's startedAt) and when the wait ends on its own. */
  since: number
  until: number
  attempts: number
  /** How the step ends at `until` without a call: its output (column text) or an error. */
  onTimeout: { outputText: string } | { error: ErrorInfo }
  /** Set when an outside call may end the wait early (wakeRun), with the key it must bring. */
  callKey?: string
  /** The value an outside call delivered (column text), once it has. */
  deliveredText?: string
}

/** The run's view of a wait, for GET /api/runs/:id. */
export function describeWaiting(waiting: Waiting) {
  return {
    stepIndex: waiting.index,
    nodeId: waiting.nodeId,
    for: waiting.for,
    since: new Date(waiting.since).toISOString(),
    until: new Date(waiting.until).toISOString(),
    acceptsCall: waiting.callKey !== undefined,
    delivered: waiting.deliveredText !== undefined,
  }
}
