import { z } from 'zod'
import { TRIGGER_MODULES } from '../generated/trigger-registry'
import type { PollTriggerDefinition } from './define-trigger'

const registry: ReadonlyMap<string, PollTriggerDefinition> = new Map(
  Object.entries(TRIGGER_MODULES as Record<string, PollTriggerDefinition>),
)

/** The polling trigger of this type (a poll trigger's `source`); undefined when unknown. */
export function findPollTrigger(type: string): PollTriggerDefinition | undefined {
  return registry.get(type)
}

export function listPollTriggers(): PollTriggerDefinition[] {
  return [...registry.values()]
}

/** The catalogue entry, as for a node: what a form is built from. */
export function describePollTrigger(trigger: PollTriggerDefinition) {
  return {
    type: trigger.type,
    title: trigger.title,
    description: trigger.description,
    credentialTypes: trigger.credentialTypes ?? [],
    configSchema: z.toJSONSchema(trigger.config, { io: 'input', unrepresentable: 'any' }),
  }
}
