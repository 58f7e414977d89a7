import { authHeader } from '../clients/http-auth'
import { encodeQueryPart } from '../clients/transport/append-query'
import { rememberSecret } from '../redact/known-secrets'
import { keySlots } from './keyring'
import { type Credential, notSecretFields } from './types'

/**
 * Teaches redaction a decrypted credential's secret values: each secret field, the path of a
 * webhook URL (its secret part, also when a proxy's baseUrl replaces the host) and its last
 * segment (the token), the Basic pair and a query key as they go over the wire.
 */
export function rememberCredential(credential: Credential) {
  const data = credential.data as Record<string, unknown>
  const notSecret = notSecretFields(credential.type)
  for (const [field, value] of Object.entries(data)) {
    if (notSecret.includes(field) || typeof value !== 'string') continue
    rememberSecret(value)
    if (field === 'url') rememberUrlParts(value)
  }
  if (credential.type === 'http-basic')
    rememberSecret(authHeader(credential)[1].slice('Basic '.length))
  // A query key as the URL carries it, escaped.
  if (credential.type === 'http-query') rememberSecret(encodeQueryPart(credential.data.value))
}

function rememberUrlParts(value: string) {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return
  }
  rememberSecret(url.pathname + url.search)
  rememberSecret(url.pathname.split('/').filter(Boolean).pop())
}

/**
 * The Worker's own secrets, remembered at the start of every request, batch and cron tick: the
 * admin token and every encryption key slot (ENCRYPTION_KEY, and ENCRYPTION_KEY_2… during and
 * after a rotation: ./keyring.ts).
 */
export function rememberEnvSecrets(env: { ADMIN_TOKEN?: string; [slot: string]: unknown }) {
  rememberSecret(env.ADMIN_TOKEN)
  for (const { secret } of keySlots(env)) rememberSecret(secret)
}
