import { env } from 'cloudflare:test'
import type { z } from 'zod'
import { readCredential } from '../src/credentials/read-credential'
import type { CredentialType } from '../src/credentials/types'
import { buildNodeContext } from '../src/engine/node-context'
import type { NodeContext, NodeDefinition } from '../src/nodes/define-node'

/**
 * The context the Engine hands a node, from the Engine's own builder: the config parsed by the
 * node's schema, credentials read from the test's D1 as the queue consumer reads them. Overrides
 * replace single fields (a signal, an attempt).
 */
export function nodeContext<Schema extends z.ZodObject, Types extends CredentialType = never>(
  node: NodeDefinition<Schema, Types>,
  config: Record<string, unknown>,
  overrides: Partial<NodeContext<z.infer<Schema>, Types>> = {},
): NodeContext<z.infer<Schema>, Types> {
  const parsed = node.config.parse(config)
  const context = buildNodeContext(
    {
      node: { id: 'step', type: node.type, config },
      index: 0,
      runId: 'run-1',
      workflowId: 'wf-1',
      credentials: (name, types) => readCredential(env, name, types),
      db: env.DB,
    },
    node as unknown as NodeDefinition,
    parsed,
    1,
    new AbortController().signal,
  )
  return { ...context, ...overrides } as NodeContext<z.infer<Schema>, Types>
}
