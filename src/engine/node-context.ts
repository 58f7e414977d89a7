import { nodeCredential } from '../credentials/node-credential'
import { AutomateError } from '../errors'
import { nodeMemory, type NodeMemory } from '../store/memory'
import type { CredentialReader } from '../credentials/node-credential'
import type { NodeContext, NodeDefinition, ResumeCall } from '../nodes/define-node'
import type { TemplateContext } from '../templates/context'
import type { WorkflowNode } from '../workflow/definition'

/** What of a node call its context is made from. */
export type ContextCall = {
  node: WorkflowNode
  index: number
  runId: string
  workflowId: string
  /** Behind `ctx.credential()`: decrypts a stored credential when the node asks for it. */
  credentials?: CredentialReader
  /** What the config's templates were filled in from, handed to the node (code passes it on). */
  templateContext?: TemplateContext
  /** The element of a forEach this call runs: each gets its own idempotency key. */
  itemIndex?: number
  /** A resumable node's own resume URL and the token a call to it must bring. */
  resume?: ResumeCall
  /** Behind `ctx.memory`, for the nodes that remember between runs (the engine always gives it). */
  db?: D1Database
}

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
  const idempotencyKey = `${call.runId}:${node.id}${item}`
  return {
    config,
    signal,
    // Stable across attempts and redeliveries; each forEach element has its own.
    idempotencyKey,
    runId: call.runId,
    workflowId: call.workflowId,
    step: { index: call.index, id: node.id, name: node.name },
    attempt,
    credential: () => nodeCredential(call.credentials, definition, config),
    templateContext: call.templateContext,
    ...(call.resume ? { resume: call.resume } : {}),
    memory: call.db
      ? nodeMemory(call.db, { workflowId: call.workflowId, runId: call.runId, by: idempotencyKey })
      : NO_MEMORY,
  } as NodeContext<Config>
}

/** For a call made without D1 (a test of another node): memory fails when used, not when built. */
async function unavailable(): Promise<never> {
  throw new AutomateError('INTERNAL', 'memory is only available to a node the engine runs', {
    retryable: false,
  })
}
const NO_MEMORY: NodeMemory = {
  get: unavailable,
  set: unavailable,
  increment: unavailable,
  markSeen: unavailable,
}
