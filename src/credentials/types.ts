import { z } from 'zod'

const secret = () => z.string().min(1, 'must not be empty').max(10_000)
const httpUrl = () =>
  z
    .string()
    .url()
    .max(2000)
    .refine((url) => /^https?:\/\//i.test(url), 'must be an http or https URL')

/**
 * The `data` each credential type holds. The field names are public (README, outside tests):
 * change them only together with the README.
 */
export const CREDENTIAL_DATA = {
  notion: z
    .object({ token: secret().describe('The internal integration secret (ntn_…)') })
    .strict(),
  // The JSON key file Google gives, pasted as it is: its other fields are kept, unused.
  'google-service-account': z
    .looseObject({
      type: z.literal('service_account').optional(),
      client_email: z.string().email().max(320).describe("The service account's email"),
      private_key: z.string().max(20_000).includes('-----BEGIN PRIVATE KEY-----', {
        message: 'must be the PEM private key from the key file (-----BEGIN PRIVATE KEY-----)',
      }),
      private_key_id: z.string().optional(),
      token_uri: httpUrl().default('https://oauth2.googleapis.com/token'),
    })
    .describe("A service account's JSON key file, pasted as is"),
  'discord-webhook': z.object({ url: httpUrl().describe("The channel webhook's URL") }).strict(),
  'slack-webhook': z.object({ url: httpUrl().describe('The incoming webhook URL') }).strict(),
  'slack-bot': z.object({ token: secret().describe('The bot token (xoxb-…)') }).strict(),
  'telegram-bot': z.object({ token: secret().describe("BotFather's token") }).strict(),
  'openai-compatible': z
    .object({ apiKey: secret().describe('The API key, sent as a bearer token') })
    .strict(),
  'http-bearer': z.object({ token: secret() }).strict(),
  'http-basic': z
    .object({ username: z.string().max(1000), password: z.string().max(10_000) })
    .strict(),
  'http-header': z
    .object({
      name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name'),
      value: secret(),
    })
    .strict(),
  'webhook-secret': z.object({ secret: secret() }).strict(),
} as const

export type CredentialType = keyof typeof CREDENTIAL_DATA
export const CREDENTIAL_TYPES = Object.keys(CREDENTIAL_DATA) as CredentialType[]

export function isCredentialType(value: unknown): value is CredentialType {
  return typeof value === 'string' && Object.hasOwn(CREDENTIAL_DATA, value)
}

export type CredentialData<T extends CredentialType> = z.output<(typeof CREDENTIAL_DATA)[T]>

/** A decrypted credential, as a node or a trigger gets it. */
export type Credential<T extends CredentialType = CredentialType> = {
  [K in T]: { name: string; type: K; data: CredentialData<K>; baseUrl?: string }
}[T]

export const CREDENTIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/

/** The `credential` field of a node's config: the name of a stored credential. */
export function credentialName() {
  return z
    .string()
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
