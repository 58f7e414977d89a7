import { deliverToWaitingRun } from '../store/run-row'
import { resumeMessage, type RunsQueue } from './messages'

/**
 * Ends a wait early from outside the run: the way a node such as `wait-for-webhook` is resumed.
 *
 * The node pauses its run with
 *   `return suspendRun({ until, waitingFor: 'webhook', callKey, onTimeout: { output } | { error } })`
 * (src/nodes/define-node.ts), where `callKey` is a secret the caller must bring (for instance a
 * random token the node put in the resume URL it handed out, derived from ctx.runId and
 * ctx.step so that a retry computes the same one). Then, from the HTTP route that receives the
 * outside call:
 *   `await wakeRun({ DB: env.DB, RUNS: env.RUNS }, { runId, callKey, value })`
 * `value` (any JSON) becomes the waiting step's output, and the run continues with the next node
 * at once. It answers true when the value was delivered, false when the run was not waiting for
 * a call with that key: it never waited, it timed out, a value was delivered already, or a
 * consumer holds the run right now (then a retry of the call may succeed a moment later).
 *
 * Delivered means recorded: when the queue send after it fails, the sweeper brings the run back.
 */
export async function wakeRun(
  env: { DB: D1Database; RUNS: RunsQueue },
  call: { runId: string; callKey: string; value: unknown },
  now = Date.now(),
): Promise<boolean> {
  if (!(await deliverToWaitingRun(env.DB, call.runId, call.callKey, call.value, now))) return false
  await env.RUNS.send(resumeMessage(call.runId))
  return true
}
