import { AutomateError } from '../errors'
import { rememberSecret } from '../redact/known-secrets'
import { callApi } from './call-api'
import { base64Utf8 } from './transport/base64-utf8'

/** What an http-oauth2-client credential holds (http-auth.ts declares and checks it). */
export type ClientCredentials = {
  tokenUrl: string
  clientId: string
  clientSecret: string
  scope?: string
  audience?: string
  clientAuth: 'basic' | 'body'
}

/** A token is used until this long before it expires, so a call never starts with a dying one. */
const EXPIRY_MARGIN_MS = 30_000
/**
 * How long a token that comes without `expires_in` is kept: long enough for one run's forEach,
 * short enough that a server with shorter tokens is asked again soon (RFC 6749 section 5.1 makes
 * expires_in RECOMMENDED, not REQUIRED).
 */
const NO_EXPIRY_KEEP_MS = 60_000
/** Never kept longer than this, whatever expires_in says. */
const MAX_KEEP_MS = 3_600_000

// Per isolate: tokens by everything that makes one (token URL, client, secret, scope, audience),
// so a token is never handed to a request made with other client credentials.
const tokens = new Map<string, { token: string; expiresAt: number }>()

/**
 * An access token from the credential's own token endpoint, by the client credentials grant
 * (RFC 6749 section 4.4, https://datatracker.ietf.org/doc/html/rfc6749#section-4.4): a form POST
 * of grant_type=client_credentials, the client authenticated by HTTP Basic (client_secret_basic,
 * id and secret form-encoded first, as section 2.3.1 says) or by client_id and client_secret in
 * the body (client_secret_post), never both. The secret goes only to the credential's tokenUrl,
 * which only the credential names (a workflow cannot), without following a redirect. Cached until
 * shortly before it expires, so each element of a forEach does not fetch its own.
 */
export async function clientCredentialsToken(
  name: string,
  data: ClientCredentials,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<string> {
  const key = await cacheKey(data)
  const cached = tokens.get(key)
  if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now) {
    rememberSecret(cached.token)
    return cached.token
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (data.scope) form.set('scope', data.scope)
  if (data.audience) form.set('audience', data.audience)
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  }
  if (data.clientAuth === 'basic') {
    const pair = `${formEncode(data.clientId)}:${formEncode(data.clientSecret)}`
    headers.authorization = `Basic ${base64Utf8(pair)}`
    rememberSecret(headers.authorization.slice('Basic '.length))
  } else {
    form.set('client_id', data.clientId)
    form.set('client_secret', data.clientSecret)
  }
  const answer = await callApi({
    service: { name: `Credential ${name}'s token endpoint`, errorCode: 'HTTP_ERROR' },
    method: 'POST',
    url: new URL(data.tokenUrl),
    headers,
    body: form.toString(),
    signal,
  })
  const body = answer.body as { access_token?: unknown; expires_in?: unknown } | null
  if (typeof body?.access_token !== 'string' || !body.access_token) {
    throw new AutomateError(
      'CREDENTIAL_INVALID',
      `Credential ${name}: the token endpoint answered ${answer.status} without an access_token`,
      { retryable: false },
    )
  }
  rememberSecret(body.access_token)
  const expiresIn = Number(body.expires_in)
  const keepMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : NO_EXPIRY_KEEP_MS
  tokens.set(key, { token: body.access_token, expiresAt: now + Math.min(keepMs, MAX_KEEP_MS) })
  return body.access_token
}

/** Forgets a credential's cached token: after the API refused it (401), the next call asks anew. */
export async function forgetClientCredentialsToken(data: ClientCredentials) {
  tokens.delete(await cacheKey(data))
}

async function cacheKey(data: ClientCredentials) {
  const text = JSON.stringify([
    data.tokenUrl,
    data.clientId,
    data.clientSecret,
    data.scope ?? '',
    data.audience ?? '',
    data.clientAuth,
  ])
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
}

/** application/x-www-form-urlencoded, as RFC 6749 section 2.3.1 asks of the Basic pair. */
function formEncode(text: string) {
  return new URLSearchParams({ v: text }).toString().slice(2)
}
