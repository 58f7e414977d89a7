import { AutomateError } from '../src/errors'
import type { NodeDefinition } from '../src/nodes/define-node'
import { createWorkflow, fakeUpstream, postAndWait } from './helpers'
import { nodeContext } from './node-context'

/**
 * A fake app API of its own for one test: the host name picks the fake (test/fake-upstream/apis.js:
 * `notion-…`, `slack-…`, …) and keeps the test's traffic apart from every other test's.
 */
export function fakeApp(api: string) {
  return fakeUpstream(`${api}-${crypto.randomUUID().slice(0, 8)}`)
}

/** Runs a node as the engine would, with its config parsed and its credential read from D1. */
export function runNode(
  node: NodeDefinition<any, any>,
  config: Record<string, unknown>,
  input: unknown = null,
) {
  return node.run(input, nodeContext(node, config))
}

/** The AutomateError a node fails with; fails the test when it succeeds or throws anything else. */
export async function nodeFailure(
  node: NodeDefinition<any, any>,
  config: Record<string, unknown>,
  input: unknown = null,
): Promise<AutomateError> {
  try {
    await runNode(node, config, input)
  } catch (error) {
    if (error instanceof AutomateError) return error
    throw error
  }
  throw new Error(`${node.type} should have failed`)
}

/**
 * Runs a node as the one step of a webhook workflow, so the engine fills its templates from
 * `input` as in production (escaping included); returns that step.
 */
export async function runInWorkflow(type: string, config: Record<string, unknown>, input: unknown) {
  const workflow = await createWorkflow({
    name: `${type} in a workflow`,
    trigger: { type: 'webhook' },
    nodes: [{ id: 'send', type, config }],
  })
  const run = await postAndWait(workflow, input)
  return run.steps[0]!
}
