import type { z } from 'zod'
import type { Service } from '../clients/service'
import {
  type Credential,
  type CredentialType,
  credentialName,
  sampleCredentialData,
} from '../credentials/types'
import type { NodeMemory } from './node-memory'
import type { TemplateContext } from '../templates/context'
import type { EscapeRule } from '../templates/fill'

/** What the engine hands a node: its parsed config and what it needs to be a good citizen. */
export type NodeContext<Config, Types extends CredentialType = CredentialType> = {
  config: Config
  /** Aborted when the node's timeout passes: hand it to fetch. */
  signal: AbortSignal
  /** The same on every attempt and every redelivery of this step: run id + node id. */
  idempotencyKey: string
  runId: string
  workflowId: string
  step: { index: number; id: string; name?: string }
  attempt: number
  /**
   * The credential named in `config.credential`, decrypted now, checked to be one of the node's
   * `credentialTypes`. Never put it (or anything holding its secrets) in the output or an error.
   */
  credential(): Promise<Credential<Types>>
  /**
   * What this step's templates were filled in from (`input`, `trigger`, `steps`, `run`, and
   * `item`/`index` in a forEach): for a node such as `code` that hands it on to the user.
   */
  templateContext?: TemplateContext
  /**
   * For a `resumable` node: its own resume URL, and the token a call to it brings (the key to
   * give suspendRun as callKey). The same on every attempt and redelivery of the step.
   */
  resume?: ResumeCall
  /**
   * Memory between runs (node-memory.ts, kept by src/store/memory.ts): the workflow's own namespace unless a call names
   * `shared:<name>`. Writes carry this step's idempotency key, so its retry does not count twice.
   */
  memory: NodeMemory
}

/** Where an outside call resumes a waiting node, and the token that call must bring. */
export type ResumeCall = {
  url: string
  token: string
  /** One URL per decision, when the wait offers several (`decisions`). */
  decisionUrls?: Record<string, string>
}

export type NodeDefinition<
  Schema extends z.ZodObject = z.ZodObject,
  Types extends CredentialType = CredentialType,
> = {
  /** Equal to the node's file name in nodes/. */
  type: string
  title: string
  description: string
  config: Schema
  /**
   * The credential types the node accepts in `config.credential`: saving a workflow that names a
   * stored credential of another type is refused, and `ctx.credential()` checks it again. An app
   * node names its `service` instead, and gets them from it.
   */
  credentialTypes?: readonly Types[]
  /** The integration an app node calls (its defineService in src/clients/). */
  service?: Service<any>
  /**
   * A config and an input the node succeeds on. The contract suite (src/nodes/contract.test.ts)
   * runs every registered node once on it, with outbound calls going to the fake upstream, so no
   * node is registered untried; the catalogue shows it as an example.
   */
  sample: NodeSample
  /**
   * Top-level config fields whose strings are never filled in as templates: `code`'s JavaScript,
   * where data must arrive as `input` and `context`, never spliced into the source.
   */
  verbatimFields?: readonly string[]
  /**
   * Config fields whose filled-in values are escaped for the app's markup (a Slack or Telegram
   * message's text): what a template produces is escaped, the literal text the author wrote is
   * not. `escaper` reads the node's other fields, filled in (a parse mode, `escapeData`), and
   * the path of the value inside the config; it returns no escaper to leave a value as it is.
   */
  escapeFilled?: EscapeRule
  /**
   * The node has no effect outside the run (it only computes its output from its input and
   * config): running it again after a crash changes nothing anyone can see, so the engine
   * records its step together with the next step that has effects, saving a D1 round trip.
   */
  pure?: boolean
  /**
   * The node may pause its run (it returns suspendRun). A paused run waits at a step, not at an
   * element of one, so such a node cannot run under `forEach`: saving that is refused.
   */
  pausesRun?: boolean
  /**
   * For a pure node: false when this config may give a different output for the same input
   * (a clock, a random number). Such a step is recorded on its own, so that a step after it
   * sees the same input after a crash. Configs mentioning JSONata's $now, $millis, $random or
   * $eval are treated so without asking.
   */
  isDeterministic?(config: Record<string, unknown>): boolean
  /**
   * The node waits for a call at its run's resume URL (wait-for-webhook): the steps before it,
   * and the node itself, read that URL as `run.resumeUrl` (the node in `ctx.templateContext`).
   */
  resumable?: boolean
  /**
   * The node's timeout when its step sets no `timeoutMs` (else DEFAULT_NODE_TIMEOUT_MS): for a
   * node whose work takes minutes (a model writing a long answer).
   */
  timeoutMs?: number
  /**
   * The least time a step with this config needs (ms), read from the config as the workflow
   * holds it (a template is not filled in yet): the step's timeout is at least this, whatever
   * the node's or the engine's default says. http-request: its request's own `timeoutMs`.
   */
  timeoutFor?(config: Record<string, unknown>): number | undefined
  /**
   * False when an attempt cut off by its timeout may still have taken effect (an AI call is
   * billed for the answer it was writing): the engine then fails the step rather than retry it.
   */
  retriesTimeouts?(config: z.infer<Schema>): boolean
  /**
   * The node sets the answer of a webhook whose trigger says `"respond": "sync"`: its output is
   * the response { status, headers, body }, given to the caller once its step is recorded.
   */
  answers?: boolean
  run(input: unknown, ctx: NodeContext<z.infer<Schema>, Types>): unknown
}

export type NodeSample = {
  config: Record<string, unknown>
  input: unknown
  /**
   * For a node with credentialTypes: the data of a credential stored as `config.credential`.
   * Leave it out where the data is a key that must not live in the repo (a Google service
   * account): the contract suite then makes one at run time (test/sample-credentials.ts).
   */
  credential?: { data: Record<string, unknown>; baseUrl?: string }
}

type WithCredential<Schema extends z.ZodObject> =
  Schema extends z.ZodObject<infer Shape, infer Config>
    ? z.ZodObject<{ credential: z.ZodString } & Shape, Config>
    : never

type ServiceTypes<S extends Service<any>> = keyof S['credentials'] & CredentialType

/** An app node: it names its service once, and the rest of its credential follows from that. */
export type AppNodeDefinition<Schema extends z.ZodObject, S extends Service<any>> = Omit<
  NodeDefinition<WithCredential<Schema>, ServiceTypes<S>>,
  'config' | 'credentialTypes' | 'service'
> & { service: S; config: Schema }

/**
 * Exists so a node's config schema types `ctx.config` (and its credential) in `run`. An app node
 * names its `service`, and gets from it a `credential` field first in its config, its
 * credentialTypes (the service's) and, unless its sample gives one, the service's sample data.
 */
export function defineNode<Schema extends z.ZodObject, S extends Service<any>>(
  node: AppNodeDefinition<Schema, S>,
): NodeDefinition<WithCredential<Schema>, ServiceTypes<S>>
export function defineNode<Schema extends z.ZodObject, Types extends CredentialType = never>(
  node: NodeDefinition<Schema, Types>,
): NodeDefinition<Schema, Types>
export function defineNode(node: NodeDefinition | AppNodeDefinition<z.ZodObject, Service<any>>) {
  const { service } = node
  if (!service) return node
  const credentialTypes = Object.keys(service.credentials) as CredentialType[]
  const data = sampleCredentialData(credentialTypes[0]!)
  return {
    ...node,
    credentialTypes,
    config: withCredential(node.config),
    sample:
      node.sample.credential || !data ? node.sample : { ...node.sample, credential: { data } },
  }
}

/**
 * The config schema with `credential` first, as the catalogue shows it. A clone, not
 * z.object({ credential, ...shape }): that would drop the object's own refinements (.refine).
 */
function withCredential(schema: z.ZodObject) {
  return schema.clone({
    ...schema._zod.def,
    shape: { credential: credentialName(), ...schema.shape },
  })
}

const SUSPEND = Symbol.for('automateos.suspend')

export type Suspend = {
  [SUSPEND]: true
  /** Epoch ms when the wait ends on its own. */
  until: number
  /** What the run waits for, shown on the run: 'delay', 'webhook'. */
  waitingFor: string
  /** How the step ends when `until` passes without a call: with this output, or failed. */
  onTimeout: { output: unknown } | { error: { message: string; code?: string } }
  /**
   * When set, wakeRun (src/engine/wake-run.ts) with this key ends the wait early. The engine
   * keeps only its SHA-256 in D1.
   */
  callKey?: string
  /** The key's hash instead of the key: how the engine suspends a wait again. */
  callKeyHash?: string
}

/**
 * A node returns this to pause its run until a time, or until an outside call delivers a value
 * (wakeRun): the run is released (no consumer waits), a delayed queue message and the sweeper
 * bring it back, and the step is recorded when the wait ends, with the delivered value or
 * `onTimeout` as its result. The node is not called again.
 */
export function suspendRun(wait: Omit<Suspend, typeof SUSPEND>): Suspend {
  return { [SUSPEND]: true, ...wait }
}

export function isSuspend(value: unknown): value is Suspend {
  return typeof value === 'object' && value !== null && SUSPEND in value
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
