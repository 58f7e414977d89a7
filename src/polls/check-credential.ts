import { credentialTypes } from '../credentials/store'
import { AutomateError } from '../errors'
import { findPollTrigger } from '../triggers/registry'
import type { WorkflowDefinition } from '../workflow/definition'

/**
 * Save-time check, as for a node's credential: a poll trigger naming a stored credential of a type
 * its source does not accept is refused (400 at `trigger.config.credential`). A name with no
 * credential yet is accepted; the poll then fails with CREDENTIAL_NOT_FOUND until it exists.
 */
export async function checkPollCredential(db: D1Database, definition: WorkflowDefinition) {
  const trigger = definition.trigger
  if (trigger.type !== 'poll') return
  const accepted: readonly string[] = findPollTrigger(trigger.source)?.credentialTypes ?? []
  const name = (trigger.config as { credential?: unknown }).credential
  if (accepted.length === 0 || typeof name !== 'string') return
  const type = (await credentialTypes(db, [name])).get(name)
  if (type === undefined || accepted.includes(type)) return
  const detail = {
    path: 'trigger.config.credential',
    message: `credential ${name} is a ${type} credential; ${trigger.source} accepts ${accepted.join(' or ')}`,
  }
  throw new AutomateError(
    'VALIDATION_FAILED',
    `Invalid request: ${detail.path}: ${detail.message}`,
    {
      status: 400,
      details: [detail],
    },
  )
}
