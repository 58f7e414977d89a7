import type { ErrorInfo } from '../errors'
import type { WorkflowDefinition, WorkflowNode } from '../workflow/definition'
import type { StepRow } from '../store/step-row'
import type { NodeOutcome } from './run-node'

export type FinalStatus = 'succeeded' | 'failed' | 'completed_with_errors'

/** How the run ends after this step, and why any later steps are skipped. */
export type RunEnd = { status: FinalStatus; error: unknown; skipReason?: string }

export type StepVerdict = {
  /** The error recorded on the step, naming the node. */
  error: ErrorInfo | null
  /** Failed steps in the run so far, this one included. */
  failures: number
  end: RunEnd | null
}

/**
 * What one finished node means for its run: stop or continue on failure (the node's own
 * onError over the workflow's), a filter's early end, or the end of the list.
 */
/**
 * A finished step: a node's outcome, a node skipped by its `if`, or a forEach that went on past
 * failed elements (`partial`, under onError: continue), which counts as a failure of the run.
 */
export type FinishedStep =
  | Exclude<NodeOutcome, { kind: 'retry-later' | 'succeeded' }>
  | (Extract<NodeOutcome, { kind: 'succeeded' }> & { partial?: ErrorInfo })
  | { kind: 'skipped'; reason: string }

export function judgeStep(
  definition: WorkflowDefinition,
  index: number,
  outcome: FinishedStep,
  failuresBefore: number,
): StepVerdict {
  const node = definition.nodes[index]!
  const isLast = index === definition.nodes.length - 1
  const settled = (failures: number): FinalStatus =>
    failures ? 'completed_with_errors' : 'succeeded'

  if (outcome.kind === 'skipped') {
    const error = { message: `skipped: ${outcome.reason}`, code: 'SKIPPED' }
    return { error, failures: failuresBefore, end: isLast ? endOfList(failuresBefore) : null }
  }
  if (outcome.kind === 'succeeded') {
    const failures = failuresBefore + (outcome.partial ? 1 : 0)
    const error = outcome.partial ? nameNode(outcome.partial, node, index) : null
    if (outcome.halted !== undefined) {
      return {
        error,
        failures,
        end: { status: settled(failures), error: null, skipReason: outcome.halted },
      }
    }
    return { error, failures, end: isLast ? endOfList(failures) : null }
  }

  const failures = failuresBefore + 1
  const error = nameNode(outcome.error, node, index)
  if ((node.onError ?? definition.onError) === 'stop') {
    return {
      error,
      failures,
      end: {
        status: 'failed',
        error: { ...error, step: stepRef(node, index) },
        skipReason: `step ${index + 1} ('${node.id}') failed`,
      },
    }
  }
  return { error, failures, end: isLast ? endOfList(failures) : null }
}

/** How a run that reached the end of its node list ends. */
export function endOfList(failures: number): RunEnd {
  if (!failures) return { status: 'succeeded', error: null }
  return {
    status: 'completed_with_errors',
    error: {
      message: `${failures} step(s) failed and were passed over (onError: continue)`,
      code: 'STEPS_FAILED',
    },
  }
}

export function stepRef(node: WorkflowNode, index: number) {
  return { index, id: node.id, type: node.type, ...(node.name ? { name: node.name } : {}) }
}

/**
 * Says which node failed in the message itself, so any log line or alert is enough to act on.
 * Numbered from 1, as the pages number steps; the `index` fields stay 0-based (they are data).
 */
function nameNode(error: ErrorInfo, node: WorkflowNode, index: number): ErrorInfo {
  const name = node.name ? `, "${node.name}"` : ''
  return {
    ...error,
    message: `Step ${index + 1} '${node.id}' (${node.type}${name}) failed: ${error.message}`,
  }
}

/** The steps a run will not reach, as skipped rows with the reason. */
export function skippedSteps(
  nodes: WorkflowNode[],
  from: number,
  reason: string,
  now: number,
): StepRow[] {
  return nodes.slice(from).map((node, offset) => ({
    index: from + offset,
    nodeId: node.id,
    nodeType: node.type,
    nodeName: node.name ?? null,
    status: 'skipped',
    inputText: null,
    outputText: null,
    error: { message: `skipped: ${reason}`, code: 'SKIPPED' },
    attempts: 0,
    startedAt: null,
    finishedAt: now,
  }))
}
