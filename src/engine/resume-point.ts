import type { RecordedStep } from '../store/run-source'
import type { WorkflowNode } from '../workflow/definition'
import type { NodeLookup } from './run-node'
import { isResumable, nodeReads } from './step-scope'

export type ResumePoint = { ok: true; from: number } | { ok: false; reason: string }

const RESUMABLE = new Set(['failed', 'completed_with_errors'])

/**
 * Where a resume of a run starts: at its first failed step (a forEach that went on past failed
 * elements counts, as it does for the run's status), or, for a run that failed between steps
 * (dead-lettered, given up by the sweeper), at its first step not recorded. Every step before
 * that point is reused. Only a run that has ended badly can be resumed.
 */
export function resumePoint(
  run: { id: string; status: string },
  steps: RecordedStep[],
  nodeCount: number,
): ResumePoint {
  if (!RESUMABLE.has(run.status)) {
    const why =
      run.status === 'succeeded'
        ? 'it succeeded, so there is nothing to resume (replay it instead)'
        : `it is ${run.status} and has not ended yet`
    return { ok: false, reason: `Run ${run.id} cannot be resumed: ${why}` }
  }
  const byIndex = new Map(steps.map((s) => [s.index, s]))
  for (let index = 0; index < nodeCount; index++) {
    const step = byIndex.get(index)
    if (!step || step.status === 'failed' || (step.status === 'succeeded' && step.hasError)) {
      return { ok: true, from: index }
    }
  }
  return {
    ok: false,
    reason: `Run ${run.id} cannot be resumed: every one of its ${nodeCount} steps is recorded and none failed`,
  }
}

/**
 * Where a resume that would start at a wait (a `wait-for-webhook` that timed out) really starts:
 * at the first step that read that wait's `run.resumeUrl`, the one that sent the link. The link
 * names the old run, so reusing the step that sent it would leave the new run waiting for a call
 * nobody can make. A step reads the URL of the first resumable node at or after it, so the
 * senders of this wait's link are the steps after the previous resumable node.
 */
export function rewindToLinkSender(nodes: WorkflowNode[], from: number, lookup: NodeLookup) {
  const wait = nodes[from]
  const definitionAt = (index: number) => lookup(nodes[index]!.type)
  if (!wait || !isResumable(definitionAt(from))) return from
  let start = from
  for (let index = from - 1; index >= 0; index--) {
    const definition = definitionAt(index)
    if (isResumable(definition)) break
    if (nodeReads(nodes[index]!, definition).resumeUrl) start = index
  }
  return start
}

/**
 * Whether the steps a resume reuses (0 … from-1, recorded under `ran`) still fit another
 * version's nodes (`next`, the current one): the engine takes a recorded step for the node at
 * its index, and templates read a step's output by node id, so each of those nodes must keep
 * its place, id and type. Their config may have changed: what they did then is what is reused.
 */
export function fitsVersion(
  ran: WorkflowNode[],
  next: WorkflowNode[],
  from: number,
): { ok: true } | { ok: false; reason: string } {
  for (let index = 0; index < from; index++) {
    const before = ran[index]!
    const now = next[index]
    if (now?.id === before.id && now.type === before.type) continue
    const what = now
      ? `is now '${now.id}' (${now.type})`
      : 'is gone (the current version has fewer nodes)'
    return {
      ok: false,
      reason:
        `step ${index + 1}, node '${before.id}' (${before.type}), which the resume reuses, ${what}: ` +
        'its recorded output would not fit. Resume on the version the run ran on, or replay it',
    }
  }
  return { ok: true }
}
