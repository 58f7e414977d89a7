import { nodeCredential } from '../credentials/node-credential'
import type { NodeContext, NodeDefinition } from '../nodes/define-node'
import type { NodeCall } from './run-node'

/** What of a node call its context is made from. */
export type ContextCall = Pick<
  NodeCall,
  'node' | 'index' | 'runId' | 'workflowId' | 'credentials' | 'templateContext' | 'itemIndex'
>

/**
 * The context a node's `run` gets, built in one place: the engine calls it for every attempt, and
 * node tests call it too (test/node-context.ts), so a node is tested with what it will really get.
 */
export function buildNodeContext<Config>(
  call: ContextCall,
  definition: NodeDefinition,
  config: Config,
  attempt: number,
  signal: AbortSignal,
): NodeContext<Config> {
  const { node } = call
  const item = call.itemIndex === undefined ? '' : `:${call.itemIndex}`
  return {
    config,
    signal,
    // Stable across attempts and redeliveries; each forEach element has its own.
    idempotencyKey: `${call.runId}:${node.id}${item}`,
    runId: call.runId,
    workflowId: call.workflowId,
    step: { index: call.index, id: node.id, name: node.name },
    attempt,
    credential: () => nodeCredential(call.credentials, definition, config),
    templateContext: call.templateContext,
  } as NodeContext<Config>
}
