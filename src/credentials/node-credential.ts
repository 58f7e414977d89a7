import { AutomateError } from '../errors'
import type { NodeDefinition } from '../nodes/define-node'
import type { Credential, CredentialType } from './types'

/** Reads and decrypts a stored credential of one of `types`; the engine gets one from its env. */
export type CredentialReader = (
  name: string,
  types: readonly CredentialType[],
) => Promise<Credential>

/** `ctx.credential()`: the credential a node's config names, only when the node asks for it. */
export function nodeCredential(
  reader: CredentialReader | undefined,
  definition: NodeDefinition,
  config: unknown,
): Promise<Credential> {
  const types = definition.credentialTypes ?? []
  if (types.length === 0) {
    throw new AutomateError(
      'CREDENTIAL_NOT_DECLARED',
      `Node type ${definition.type} declares no credentialTypes, so it cannot read a credential`,
      { retryable: false },
    )
  }
  const name = (config as { credential?: unknown } | null)?.credential
  if (typeof name !== 'string' || name === '') {
    throw new AutomateError('CONFIG_INVALID', 'config.credential names no stored credential', {
      retryable: false,
      details: [
        { path: 'config.credential', message: `must name a ${types.join(' or ')} credential` },
      ],
    })
  }
  if (!reader) {
    throw new AutomateError(
      'CREDENTIALS_UNAVAILABLE',
      'No credential store is wired to this engine',
      {
        retryable: false,
      },
    )
  }
  return reader(name, types)
}
