import { env } from 'cloudflare:test'
import type { z } from 'zod'
import { readCredential } from '../src/credentials/read-credential'
import type { CredentialType } from '../src/credentials/types'
import type { NodeContext, NodeDefinition } from '../src/nodes/define-node'

/** The context the Engine would hand a node, with its config parsed by the node's own schema. */
export function nodeContext<Schema extends z.ZodObject, Types extends CredentialType = never>(
  node: NodeDefinition<Schema, Types>,
  config: Record<string, unknown>,
  overrides: Partial<NodeContext<z.infer<Schema>, Types>> = {},
): NodeContext<z.infer<Schema>, Types> {
  const parsed = node.config.parse(config)
  return {
    config: parsed,
    // As the engine does: the stored credential the config names, read from the test's D1.
    credential: () =>
      readCredential(env, String(parsed.credential), node.credentialTypes ?? ([] as Types[])),
    signal: new AbortController().signal,
    idempotencyKey: 'run-1:step',
    runId: 'run-1',
    workflowId: 'wf-1',
    step: { index: 0, id: 'step' },
    attempt: 1,
    ...overrides,
  }
}
