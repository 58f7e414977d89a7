import { z } from 'zod'
import { AutomateError } from '../errors'
import { OAUTH_PRESET_NAMES, type OAuthPresetName } from './oauth2-presets'
import { type CredentialKind, type OAuthAccess, defineService, secret } from './service'

/** An authorize or token endpoint: https only, as OAuth 2.0 requires (RFC 6749 §3.1, §3.2). */
const endpoint = () =>
  z
    .string()
    .url()
    .max(2000)
    .refine((url) => /^https:\/\//i.test(url), 'must be an https URL')

/** Scopes as a list, or as the provider writes them (separated by spaces or commas). */
const scopes = z
  .union([z.array(z.string().min(1).max(500)).max(100), z.string().max(10_000)])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean),
  )

/**
 * A bring-your-own-app OAuth2 credential (authorization code + PKCE). What the user gives is its
 * `data`; the tokens a "Connect" gets are sealed with it but are never part of it
 * (src/credentials/oauth/).
 */
export const OAUTH2_KIND = {
  data: z
    .object({
      preset: z
        .enum(OAUTH_PRESET_NAMES as [OAuthPresetName, ...OAuthPresetName[]])
        .describe(`The provider: ${OAUTH_PRESET_NAMES.join(', ')}`),
      clientId: z.string().min(1).max(1000).describe("The app's client id"),
      clientSecret: secret().describe("The app's client secret"),
      scopes: scopes.optional().describe("Scopes to ask for; the preset's when left out"),
      authorizeUrl: endpoint()
        .optional()
        .describe("Replaces the preset's authorize URL (required for generic)"),
      tokenUrl: endpoint()
        .optional()
        .describe("Replaces the preset's token URL (required for generic)"),
      revokeUrl: endpoint()
        .optional()
        .describe(
          "Replaces the preset's revocation URL (with a replaced tokenUrl, none unless given)",
        ),
    })
    .strict()
    .superRefine((data, ctx) => {
      if (data.preset !== 'generic') return
      for (const field of ['authorizeUrl', 'tokenUrl'] as const)
        if (!data[field])
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: 'required for the generic preset',
          })
    })
    .describe('An OAuth2 app of your own: press Connect after saving it'),
  notSecret: ['preset', 'clientId', 'scopes', 'authorizeUrl', 'tokenUrl', 'revokeUrl'],
} satisfies CredentialKind

export const oauth2 = defineService({
  name: 'OAuth2',
  errorCode: 'OAUTH_ERROR',
  credentials: { oauth2: OAUTH2_KIND },
})

export type OAuth2Data = z.output<typeof OAUTH2_KIND.data>

export type { OAuthAccess }

type MaybeOAuth = { name: string; type: string; data: unknown; access?: OAuthAccess }

/**
 * The access of an oauth2 credential of `preset`, refused for another provider's: a Google token
 * never goes to Notion's API, whatever a workflow names.
 */
export function oauthAccess(credential: MaybeOAuth, preset: OAuthPresetName): OAuthAccess {
  const actual = (credential.data as { preset?: string }).preset
  if (actual !== preset) {
    throw new AutomateError(
      'CREDENTIAL_WRONG_TYPE',
      `Credential ${credential.name} is an oauth2 credential for ${actual}; this needs one for ${preset}`,
      { status: 400, retryable: false, details: { credential: credential.name, preset: actual } },
    )
  }
  return connectedAccess(credential)
}

/** The access of a connected oauth2 credential, whatever its provider (http-request's use). */
export function connectedAccess(credential: MaybeOAuth): OAuthAccess {
  if (!credential.access) {
    throw new AutomateError(
      'CREDENTIAL_NEEDS_RECONNECT',
      `Credential ${credential.name} is not connected: press Connect on /admin/credentials`,
      { retryable: false, details: { credential: credential.name } },
    )
  }
  return credential.access
}

/** A 401 from callApi: the token was refused. */
export function isUnauthorized(error: unknown) {
  return error instanceof AutomateError && (error.details as { status?: number })?.status === 401
}

/** Calls with the access token; after the API refuses it, renews once and calls again. */
export async function withAccessToken<T>(
  access: OAuthAccess,
  call: (token: string) => Promise<T>,
  refused: (error: unknown) => boolean = isUnauthorized,
): Promise<T> {
  try {
    return await call(access.token)
  } catch (error) {
    if (!refused(error)) throw error
    return call(await access.renew(access.token))
  }
}
