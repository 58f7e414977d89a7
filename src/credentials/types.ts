import { z } from 'zod'
import { type CredentialKind, type OAuthAccess, httpUrl, secret } from '../clients/service'
import { SERVICE_CREDENTIALS } from '../generated/service-registry'

/** The one credential AutomateOS itself checks, not an app: an inbound webhook's signing secret. */
const OWN_CREDENTIALS = {
  'webhook-secret': { data: z.object({ secret: secret() }).strict() },
} satisfies Record<string, CredentialKind>

/**
 * Every credential type: those the services declare in src/clients/ (composed by
 * `npm run registry`) and our own. The type and field names are public (README, outside tests):
 * change them only together with the README.
 */
const CREDENTIAL_KINDS = { ...SERVICE_CREDENTIALS, ...OWN_CREDENTIALS }
type Kinds = typeof CREDENTIAL_KINDS

export type CredentialType = keyof Kinds
export const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_KINDS) as CredentialType[]

/** The `data` each credential type holds, checked on every write and every read. */
export const CREDENTIAL_DATA = Object.fromEntries(
  CREDENTIAL_TYPES.map((type) => [type, CREDENTIAL_KINDS[type].data]),
) as { [T in CredentialType]: Kinds[T]['data'] }

export function isCredentialType(value: unknown): value is CredentialType {
  return typeof value === 'string' && Object.hasOwn(CREDENTIAL_KINDS, value)
}

/** The fields of a type's data that say which account, not how to get in; all others are secret. */
export function notSecretFields(type: CredentialType): readonly string[] {
  return (CREDENTIAL_KINDS[type] as CredentialKind).notSecret ?? []
}

/** Whether a type must name its baseUrl: one with no official API to fall back on (http-*). */
export function needsBaseUrl(type: CredentialType): boolean {
  return (CREDENTIAL_KINDS[type] as CredentialKind).needsBaseUrl === true
}

/** The data a type's declaration offers for a node's sample run, if any. */
export function sampleCredentialData(type: CredentialType) {
  return (CREDENTIAL_KINDS[type] as CredentialKind).sample
}

export type CredentialData<T extends CredentialType> = z.output<Kinds[T]['data']>

/** A decrypted credential, as a node or a trigger gets it. */
export type Credential<T extends CredentialType = CredentialType> = {
  [K in T]: {
    name: string
    type: K
    data: CredentialData<K>
    baseUrl?: string
    /** An oauth2 credential's access token, fresh (src/credentials/oauth/refresh.ts). */
    access?: OAuthAccess
  }
}[T]

export const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/

/**
 * The `credential` field of a node's config: the name of a stored credential, never a template
 * (templates never fill it in: LITERAL_FIELDS in src/templates/check.ts): a sender's payload must
 * not pick which of the stored credentials a step sends.
 */
export function credentialName() {
  return z
    .string()
    .refine((name) => !name.includes('{{'), {
      message:
        'cannot be a template: name the stored credential itself, so the data a run receives ' +
        'never chooses which credential is sent',
      abort: true,
    })
    .regex(CREDENTIAL_NAME, 'must be the name of a stored credential (POST /api/credentials)')
    .describe('The name of a stored credential')
}

/**
 * A base URL replacing an app's official one (a proxy, a test server). No user info, query or
 * fragment: it is shown in lists, and a secret has no business there.
 */
export const baseUrlSchema = httpUrl()
  .refine((value) => {
    // zod runs this even when the url() check above failed: that check reports such a value,
    // and `new URL` would throw (a 500) on it.
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return true
    }
    return !url.username && !url.password && !url.search && !url.hash
  }, 'must be a plain http(s) URL without user, password, query or fragment')
  .transform((value) => value.replace(/\/+$/, ''))
