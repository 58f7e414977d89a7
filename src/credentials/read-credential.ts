import { AutomateError } from '../errors'
import { rememberCredential } from './remember-credential'
import { openOAuth } from './oauth/connection-store'
import { oauthAccessOf } from './oauth/refresh'
import { findCredential, openRow } from './store'
import { CREDENTIAL_DATA, type Credential, type CredentialType } from './types'

/** What reading a credential needs from the Worker's env: D1 and the key slots (keyring.ts). */
export type CredentialEnv = { DB: D1Database; ENCRYPTION_KEY?: string }

/**
 * The one way to a credential's secret data: reads the named credential, checks it is one of
 * `types`, and decrypts it. Call it only when the secret is about to be used, and never log,
 * return or record what it gives back. Failures are coded, non-retryable AutomateErrors:
 * CREDENTIAL_NOT_FOUND, CREDENTIAL_WRONG_TYPE, CREDENTIAL_UNREADABLE, ENCRYPTION_KEY_MISSING.
 */
export async function readCredential<T extends CredentialType>(
  env: CredentialEnv,
  name: string,
  types: T | readonly T[],
): Promise<Credential<T>> {
  const accepted: readonly string[] = typeof types === 'string' ? [types] : types
  const row = await findCredential(env.DB, name)
  if (!row) {
    throw new AutomateError(
      'CREDENTIAL_NOT_FOUND',
      `Credential ${name} does not exist (it may have been deleted); create it with ` +
        `POST /api/credentials as a ${accepted.join(' or ')} credential`,
      { status: 400, retryable: false, details: { credential: name } },
    )
  }
  if (!accepted.includes(row.type)) {
    throw new AutomateError(
      'CREDENTIAL_WRONG_TYPE',
      `Credential ${name} is a ${row.type} credential; this needs ${accepted.join(' or ')}`,
      { status: 400, retryable: false, details: { credential: name, type: row.type, accepted } },
    )
  }
  if (row.type === 'oauth2') {
    const { data } = await openOAuth(env, row)
    const credential = {
      name,
      type: row.type,
      data,
      ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
      access: await oauthAccessOf(env, row),
    } as unknown as Credential<T>
    rememberCredential(credential as Credential)
    return credential
  }
  const data = await openRow(env, row)
  const parsed = CREDENTIAL_DATA[row.type as T].safeParse(data)
  if (!parsed.success) {
    // Only paths: the values are secret.
    throw new AutomateError(
      'CREDENTIAL_UNREADABLE',
      `Credential ${name} no longer matches its type's schema (${parsed.error.issues
        .map((i) => i.path.join('.') || '(data)')
        .join(', ')}); replace it with PUT /api/credentials/${name}`,
      { status: 500, retryable: false },
    )
  }
  const credential = {
    name,
    type: row.type,
    data: parsed.data,
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
  } as Credential<T>
  // From here on, redaction knows its values: a log line or step row that quotes one hides it.
  rememberCredential(credential as Credential)
  return credential
}
