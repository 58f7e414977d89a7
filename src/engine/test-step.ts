import type { CredentialReader } from '../credentials/node-credential'
import { type ErrorInfo, describeError } from '../errors'
import { findNode } from '../nodes/registry'
import { withItem } from '../templates/context'
import { fillConfig } from '../templates/fill'
import { forEachList } from '../templates/for-each-list'
import type { WorkflowNode } from '../workflow/definition'
import { type PreviewSample, sampleContext } from '../workflow/preview'
import { redactError, redactKnownInJson } from '../redact/redact'
import { runNode } from './run-node'

export type StepTest = {
  /** The config as the node got it, templates filled in; null when filling them in failed. */
  config: Record<string, unknown> | null
  durationMs: number
} & ({ output: unknown } | { error: ErrorInfo })

/** A test may take the node's own timeout, no more: it holds an HTTP request open. */
const TEST_DEADLINE_MS = 60_000

/**
 * Runs node `index` of `nodes` alone, as the editor's "Test this step" asks: its templates filled
 * in from the sample (earlier nodes' outputs come from the sample, they are not run again), one
 * attempt, under a run id no run has, and no run or step recorded, so it shows in no run list or
 * figure (the API keeps only its verdict, in step_tests). `if` is not asked (the point is to see
 * the node work); under `forEach`, the first element is used. The node's effects are real: the
 * caller asks before it calls.
 */
export async function testStep(
  nodes: WorkflowNode[],
  index: number,
  sample: PreviewSample,
  deps: { workflowId: string; db: D1Database; credentials: CredentialReader },
): Promise<StepTest> {
  const started = Date.now()
  const node = nodes[index]!
  const definition = findNode(node.type)
  const runId = `test-step-${crypto.randomUUID()}`
  let context = sampleContext(nodes, index, sample, started, {
    id: runId,
    workflowId: deps.workflowId,
  })
  let config: Record<string, unknown>
  try {
    if (node.forEach !== undefined) {
      const [first] = await forEachList(node.forEach, context, node.forEachLimit)
      context = withItem(context, first, 0)
    }
    config = await fillConfig(
      node.config ?? {},
      context,
      definition?.verbatimFields,
      definition?.escapeFilled,
    )
  } catch (error) {
    return {
      config: null,
      error: redactError(describeError(error)),
      durationMs: Date.now() - started,
    }
  }
  const outcome = await runNode({
    node: { ...node, config, retry: undefined },
    index,
    runId,
    workflowId: deps.workflowId,
    credentials: deps.credentials,
    templateContext: context,
    db: deps.db,
    definition,
    input: context.input,
    attemptsSoFar: 0,
    mustFinishBy: started + TEST_DEADLINE_MS,
  })
  const durationMs = Date.now() - started
  // The filled-in config as a run's step records it: a credential's value it quotes is hidden.
  const shown = redactKnownInJson(config, JSON.stringify(config)).value
  if (outcome.kind === 'succeeded') return { config: shown, output: outcome.output, durationMs }
  return { config: shown, error: outcome.error, durationMs }
}
