import type { z } from 'zod'
import type { Service } from '../clients/service'
import type { Credential, CredentialType } from '../credentials/types'

// A polling trigger is declared like a node (one file in triggers/, discovered into
// src/generated/trigger-registry.ts): a zod config, the credential it reads, a sample, and
// `poll`, which says what is new since a cursor. Everything about D1, runs, dedupe, backoff and
// the inbox stays in src/polls/: a source only reads its app.

/** One new thing a poll found: the run's input, and the id that makes it that item. */
export type PollItem = { id: string; item: unknown }

export type PollContext<Config, Types extends CredentialType = CredentialType> = {
  config: Config
  /** What `cursorAfter` returned last time; null on the first poll. */
  cursor: unknown
  /**
   * The first poll of a trigger that does not process existing items: return no items, only a
   * cursor that stands for "now" (everything already there counts as seen).
   */
  baselineOnly: boolean
  /** Most items this poll starts: a source may stop reading once it has one more. */
  limit: number
  /** The stored credential `config.credential` names, of one of the trigger's types. */
  credential(): Promise<Credential<Types>>
  signal: AbortSignal
  now: number
}

export type PollAnswer = {
  /** The new items, oldest first. */
  items: PollItem[]
  /**
   * The cursor once the first `count` items are started: the rest are found again next time.
   * JSON; kept small (it is stored on every poll).
   */
  cursorAfter(count: number): unknown
}

export type PollTriggerDefinition<
  Schema extends z.ZodObject = z.ZodObject,
  Types extends CredentialType = CredentialType,
> = {
  /** Equal to the file name in triggers/; a workflow names it as its trigger's `source`. */
  type: string
  title: string
  description: string
  /** A plain zod object: the builder renders it as a form. */
  config: Schema
  /** The app it reads (its defineService in src/clients/): the credential types follow from it. */
  service?: Service<any>
  credentialTypes?: readonly Types[]
  /** A config the trigger polls successfully against the fake upstream (contract test). */
  sample: {
    config: Record<string, unknown>
    credential?: { data: Record<string, unknown>; baseUrl?: string }
  }
  poll(ctx: PollContext<z.infer<Schema>, Types>): Promise<PollAnswer>
}

type ServiceTypes<S extends Service<any>> = keyof S['credentials'] & CredentialType

/**
 * Identity, for type inference; a trigger that names its `service` gets the service's credential
 * types, as an app node does.
 */
export function definePollTrigger<Schema extends z.ZodObject, S extends Service<any>>(
  trigger: Omit<PollTriggerDefinition<Schema, ServiceTypes<S>>, 'service' | 'credentialTypes'> & {
    service: S
  },
): PollTriggerDefinition<Schema, ServiceTypes<S>>
export function definePollTrigger<Schema extends z.ZodObject, Types extends CredentialType = never>(
  trigger: PollTriggerDefinition<Schema, Types>,
): PollTriggerDefinition<Schema, Types>
export function definePollTrigger(trigger: PollTriggerDefinition) {
  if (trigger.credentialTypes || !trigger.service) return trigger
  return {
    ...trigger,
    credentialTypes: Object.keys(trigger.service.credentials) as CredentialType[],
  }
}
