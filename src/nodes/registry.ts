import { z } from 'zod'
import { NODE_MODULES } from '../generated/node-registry'
import { AutomateError } from '../errors'
import type { NodeDefinition } from './define-node'

const registry: ReadonlyMap<string, NodeDefinition> = new Map(
  Object.entries(NODE_MODULES as Record<string, NodeDefinition>),
)

/** The engine's only way to a node's logic: looked up by type, never switched on. */
export function getNode(type: string): NodeDefinition {
  const node = registry.get(type)
  if (!node) {
    throw new AutomateError('NODE_TYPE_UNKNOWN', `Unknown node type '${type}'`, {
      status: 400,
      retryable: false,
      details: { type, known: [...registry.keys()] },
    })
  }
  return node
}

/** The node of this type; undefined for a type the registry does not know. */
export function findNode(type: string): NodeDefinition | undefined {
  return registry.get(type)
}

export function hasNode(type: string) {
  return registry.has(type)
}

/** The types of the nodes that set a sync webhook's answer (`answers`). */
export function answeringTypes(): string[] {
  return [...registry.values()].filter((node) => node.answers === true).map((node) => node.type)
}

export function listNodes(): NodeDefinition[] {
  return [...registry.values()]
}

/** The node catalogue entry: what the admin API shows and an editor would build a form from. */
export function describeNode(node: NodeDefinition) {
  return {
    type: node.type,
    title: node.title,
    description: node.description,
    /** The app it calls, by its service's name, for grouping; absent for a built-in node. */
    app: node.service?.name,
    /** The credential types `config.credential` may name. */
    credentialTypes: node.credentialTypes ?? [],
    /** False for a node with no effect outside the run (its step can be tried freely). */
    effectful: node.pure !== true,
    configSchema: z.toJSONSchema(node.config, { io: 'input', unrepresentable: 'any' }),
    example: exampleNode(node),
  }
}

/**
 * A node entry to paste into a workflow's `nodes`: the node's `sample` config, which the contract
 * suite runs, so the example is one that saves and works (placeholders such as "<string>" did
 * neither). Its credential is named, not stored: the save warns until one of that name exists.
 */
export function exampleNode(node: NodeDefinition) {
  return { id: node.type, type: node.type, config: node.sample.config }
}
