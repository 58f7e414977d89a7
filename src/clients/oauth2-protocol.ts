import * as oauth from 'oauth4webapi'
import { AutomateError } from '../errors'
import { originsOnly } from '../redact/origins-only'
import { rememberSecret } from '../redact/known-secrets'
import type { OAuth2Data } from './oauth2'
import { type OAuthPreset, presetOf } from './oauth2-presets'
import { checkWithinBase } from './transport/credential-scope'
import { readBody } from './transport/http'

/** What a token endpoint gave, as AutomateOS keeps it (sealed: src/credentials/oauth/). */
export type TokenSet = {
  accessToken: string
  refreshToken?: string
  /** Epoch ms; none for a token that does not expire (GitHub's). */
  expiresAt?: number
  scopes: string[]
  account?: string
}

type Endpoints = {
  preset: OAuthPreset
  as: oauth.AuthorizationServer
  client: oauth.Client
  auth: oauth.ClientAuth
}

/**
 * The provider as oauth4webapi sees it, from the credential's data: its own URLs first, then the
 * preset's. The issuer checked against a callback's `iss` is the preset's, or, when the authorize
 * URL is replaced, that URL's origin.
 */
function endpoints(data: OAuth2Data): Endpoints {
  const preset = presetOf(data.preset)
  const authorize = data.authorizeUrl ?? preset.authorizeUrl!
  const as: oauth.AuthorizationServer = {
    issuer: data.authorizeUrl
      ? new URL(data.authorizeUrl).origin
      : (preset.issuer ?? new URL(authorize).origin),
    authorization_endpoint: authorize,
    token_endpoint: data.tokenUrl ?? preset.tokenUrl!,
    // A replaced token URL is another server: the preset's revocation endpoint is not its own.
    revocation_endpoint: data.revokeUrl ?? (data.tokenUrl ? undefined : preset.revokeUrl),
  }
  const client: oauth.Client = { client_id: data.clientId }
  const auth =
    preset.clientAuth === 'basic'
      ? oauth.ClientSecretBasic(data.clientSecret)
      : oauth.ClientSecretPost(data.clientSecret)
  return { preset, as, client, auth }
}

export function scopesOf(data: OAuth2Data) {
  return data.scopes ?? [...presetOf(data.preset).scopes]
}

/** The URL the browser is sent to, with the state and the PKCE S256 challenge. */
export async function authorizationUrl(
  data: OAuth2Data,
  start: { redirectUri: string; state: string; verifier: string },
) {
  const { preset, as } = endpoints(data)
  const url = new URL(as.authorization_endpoint!)
  const params = url.searchParams
  params.set('response_type', 'code')
  params.set('client_id', data.clientId)
  params.set('redirect_uri', start.redirectUri)
  const scopes = scopesOf(data)
  if (scopes.length) params.set('scope', scopes.join(preset.scopeSeparator ?? ' '))
  params.set('state', start.state)
  params.set('code_challenge', await oauth.calculatePKCECodeChallenge(start.verifier))
  params.set('code_challenge_method', 'S256')
  for (const [name, value] of Object.entries(preset.extraAuthorizeParams ?? {}))
    params.set(name, value)
  return url.toString()
}

export const newVerifier = () => oauth.generateRandomCodeVerifier()
export const newState = () => oauth.generateRandomState()

// Slack names its token type after what it is for; it is used as a bearer token all the same.
const TOKEN_TYPES: oauth.RecognizedTokenTypes = { bot: () => {}, user: () => {} }

/**
 * The callback's parameters checked (state, and `iss` when the provider sends one), the code
 * exchanged with the PKCE verifier, and the account named. Failures are OAUTH_ERROR in words.
 */
export async function exchangeCode(
  data: OAuth2Data,
  apiBase: string | undefined,
  callback: { params: URLSearchParams; state: string; redirectUri: string; verifier: string },
): Promise<TokenSet> {
  const { preset, as, client, auth } = endpoints(data)
  const answer = await protocol('Connecting', preset, async () => {
    const checked = oauth.validateAuthResponse(as, client, callback.params, callback.state)
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      auth,
      checked,
      callback.redirectUri,
      callback.verifier,
    )
    return oauth.processAuthorizationCodeResponse(as, client, response, {
      recognizedTokenTypes: TOKEN_TYPES,
    })
  })
  const tokens = tokenSet(answer, scopesOf(data))
  return { ...tokens, account: await accountOf(preset, apiBase, answer, tokens.accessToken) }
}

/** A new access token for a refresh token; `invalid_grant` is an OAuthGrantRefused. */
export async function refreshTokens(data: OAuth2Data, refreshToken: string): Promise<TokenSet> {
  const { preset, as, client, auth } = endpoints(data)
  const answer = await protocol('Refreshing', preset, async () => {
    const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken)
    return oauth.processRefreshTokenResponse(as, client, response, {
      recognizedTokenTypes: TOKEN_TYPES,
    })
  })
  return tokenSet(answer, scopesOf(data))
}

/** Revokes a token where the provider has an endpoint for it; false where it has none. */
export async function revokeToken(data: OAuth2Data, token: string): Promise<boolean> {
  const { preset, as, client, auth } = endpoints(data)
  if (!as.revocation_endpoint) return false
  await protocol('Disconnecting', preset, async () => {
    const url = new URL(as.revocation_endpoint!)
    const how = preset.revokeWith ?? 'form'
    if (how === 'form') {
      return oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, token))
    }
    const headers: Record<string, string> =
      how === 'bearer'
        ? { authorization: `Bearer ${token}` }
        : {
            authorization: `Basic ${btoa(`${encodeURIComponent(data.clientId)}:${encodeURIComponent(data.clientSecret)}`)}`,
            'content-type': 'application/json',
          }
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: how === 'bearer' ? undefined : JSON.stringify({ token }),
      redirect: 'manual',
    })
    const body = (await readBody(response)) as { ok?: boolean; error?: string } | null
    if (response.status >= 300 || body?.ok === false)
      throw new GrantError(body?.error ?? `HTTP ${response.status}`, undefined)
  })
  return true
}

/** The provider said no: `code` is its OAuth error code (invalid_grant, invalid_client, …). */
export class GrantError extends Error {
  constructor(
    readonly code: string,
    readonly description: string | undefined,
  ) {
    super(description ? `${code}: ${description}` : code)
  }
}

// What each OAuth error means for the person at the page (RFC 6749 §4.1.2.1, §5.2, and the
// providers' own: GitHub's bad_verification_code, Slack's invalid_code and bad_client_secret).
const HINTS: Record<string, string> = {
  access_denied: 'consent was denied at the provider; press Connect again and allow access',
  invalid_client: "the client id or secret is wrong: copy them again from the provider's app page",
  bad_client_secret: "the client secret is wrong: copy it again from the provider's app page",
  invalid_client_id: "the client id is wrong: copy it again from the provider's app page",
  unauthorized_client: 'the app may not use this flow: check its settings at the provider',
  invalid_grant:
    'the provider refused the code or refresh token (expired, used already, revoked, or the ' +
    'redirect URI differs from the one registered)',
  bad_verification_code: 'the code expired or was used already: press Connect again',
  invalid_code: 'the code expired or was used already: press Connect again',
  redirect_uri_mismatch:
    "the redirect URI is not the one registered for the app: copy it from this page into the provider's app settings",
  bad_redirect_uri:
    "the redirect URI is not the one registered for the app: copy it from this page into the provider's app settings",
  invalid_scope: 'a scope was refused: check the scopes against what the app may ask for',
}

export function describeGrantError(error: GrantError) {
  const hint = HINTS[error.code]
  const said = error.description ? ` ("${originsOnly(error.description)}")` : ''
  return `${error.code}${said}${hint ? `: ${hint}` : ''}`
}

/** Runs one exchange with the provider; anything it refuses becomes a GrantError or OAUTH_ERROR. */
async function protocol<T>(doing: string, preset: OAuthPreset, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (error instanceof GrantError || error instanceof AutomateError) throw error
    const refused = grantErrorOf(error)
    if (refused) throw refused
    throw new AutomateError(
      'OAUTH_ERROR',
      `${doing} with ${preset.title} failed: ${originsOnly((error as Error)?.message ?? String(error))}`,
      { status: 502, retryable: !(error instanceof oauth.OperationProcessingError), cause: error },
    )
  }
}

function grantErrorOf(error: unknown): GrantError | undefined {
  if (error instanceof oauth.ResponseBodyError)
    return new GrantError(error.error, error.error_description)
  if (error instanceof oauth.AuthorizationResponseError)
    return new GrantError(error.error, error.error_description)
  // An answer with HTTP 200 and an error in its body (GitHub, Slack's ok: false).
  const body = (error as { cause?: { body?: { error?: unknown; error_description?: unknown } } })
    ?.cause?.body
  if (body && typeof body.error === 'string')
    return new GrantError(
      body.error,
      typeof body.error_description === 'string' ? body.error_description : undefined,
    )
  if (error instanceof oauth.OperationProcessingError && /"state"|"iss"/.test(error.message))
    return new GrantError('invalid_request', error.message)
  return undefined
}

function tokenSet(answer: oauth.TokenEndpointResponse, requested: string[]): TokenSet {
  // Known to redaction from here on: a log line or an error that quotes one hides it.
  rememberSecret(answer.access_token)
  rememberSecret(answer.refresh_token)
  const granted =
    typeof answer.scope === 'string' ? answer.scope.split(/[\s,]+/).filter(Boolean) : requested
  return {
    accessToken: answer.access_token,
    ...(answer.refresh_token ? { refreshToken: answer.refresh_token } : {}),
    ...(typeof answer.expires_in === 'number'
      ? { expiresAt: Date.now() + answer.expires_in * 1000 }
      : {}),
    scopes: granted,
  }
}

/** The account's name: from the token answer (Notion, Slack) or the provider's "who am I". */
async function accountOf(
  preset: OAuthPreset,
  apiBase: string | undefined,
  answer: Record<string, unknown>,
  token: string,
): Promise<string | undefined> {
  const source = preset.account
  if (!source) return undefined
  if ('tokenField' in source) return stringAt(answer, source.tokenField)
  // The access token only goes to the API it belongs to: the preset's, or the credential's base.
  const official = new URL(source.url)
  const url = apiBase
    ? checkWithinBase(
        new URL(apiBase.replace(/\/+$/, '') + official.pathname),
        new URL(apiBase),
        'The credential',
      )
    : official
  try {
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'user-agent': 'AutomateOS',
      },
      redirect: 'manual',
    })
    if (response.status !== 200) return undefined
    return stringAt(await readBody(response), source.field)
  } catch {
    // The name is for the page only: the connection works without it.
    return undefined
  }
}

function stringAt(value: unknown, path: string): string | undefined {
  let at = value
  for (const key of path.split('.')) at = (at as Record<string, unknown> | null)?.[key]
  return typeof at === 'string' ? at.slice(0, 200) : undefined
}
