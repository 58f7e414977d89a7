import { mentionsVolatileFunction } from '../lib/jsonata'
import type { WorkflowNode } from '../workflow/definition'
import type { NodeDefinition } from '../nodes/define-node'

/**
 * Whether a finished step may wait in the step log for the next step with effects: its node is
 * pure, so running it again after a crash is unnoticeable, and deterministic, so the step after
 * it gets the same input on that second run as on the first. Anything else is recorded at once.
 */
export function isReplayable(definition: NodeDefinition | undefined, node: WorkflowNode): boolean {
  if (!definition?.pure) return false
  // The whole node: its config, and any template, condition or list computed for it.
  if (mentionsVolatileFunction(JSON.stringify(node))) return false
  return definition.isDeterministic?.(node.config) ?? true
}

/** Whether a node may have effects outside the run: any node not declared pure (or unknown). */
export function hasEffects(definition: NodeDefinition | undefined): boolean {
  return !definition?.pure
}
