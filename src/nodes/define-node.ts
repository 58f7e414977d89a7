import type { z } from 'zod'

/** What the engine hands a node: its parsed config and what it needs to be a good citizen. */
export type NodeContext<Config> = {
  config: Config
  /** Aborted when the node's timeout passes: hand it to fetch. */
  signal: AbortSignal
  /** The same on every attempt and every redelivery of this step: run id + node id. */
  idempotencyKey: string
  runId: string
  workflowId: string
  step: { index: number; id: string; name?: string }
  attempt: number
}

export type NodeDefinition<Schema extends z.ZodObject = z.ZodObject> = {
  /** Equal to the node's file name in nodes/. */
  type: string
  title: string
  description: string
  config: Schema
  run(input: unknown, ctx: NodeContext<z.infer<Schema>>): unknown
}

/** Identity: exists so a node's config schema types `ctx.config` in its `run`. */
export function defineNode<Schema extends z.ZodObject>(node: NodeDefinition<Schema>) {
  return node
}

const HALT = Symbol.for('automateos.halt')

export type Halt = { [HALT]: true; output: unknown; reason: string }

/**
 * A node returns this to end the run successfully here (a filter whose condition is false):
 * the remaining nodes are recorded as skipped.
 */
export function haltRun(output: unknown, reason: string): Halt {
  return { [HALT]: true, output, reason }
}

export function isHalt(value: unknown): value is Halt {
  return typeof value === 'object' && value !== null && HALT in value
}
