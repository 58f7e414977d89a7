import type { z } from 'zod'
import type { NodeContext, NodeDefinition } from '../src/nodes/define-node'

/** The context the Engine would hand a node, with its config parsed by the node's own schema. */
export function nodeContext<Schema extends z.ZodObject>(
  node: NodeDefinition<Schema>,
  config: Record<string, unknown>,
  overrides: Partial<NodeContext<z.infer<Schema>>> = {},
): NodeContext<z.infer<Schema>> {
  return {
    config: node.config.parse(config),
    signal: new AbortController().signal,
    idempotencyKey: 'run-1:step',
    runId: 'run-1',
    workflowId: 'wf-1',
    step: { index: 0, id: 'step' },
    attempt: 1,
    ...overrides,
  }
}
