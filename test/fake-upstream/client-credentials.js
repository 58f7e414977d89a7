// An OAuth 2.0 authorization server with an API behind it, at `client-credentials-<anything>.upstream.test`:
//
//   POST /oauth/token   the client credentials grant (RFC 6749 section 4.4), checked as the RFC
//                       says: https://datatracker.ietf.org/doc/html/rfc6749
//   anything else       the API: a bearer token this server issued (RFC 6750), else 401
//
// One registered client: id `automate client`, secret `s3cret:+&/ü` (characters that section
// 2.3.1's form-encoding of the Basic pair must escape). State is per host.
import { json } from './reply.js'

export const CLIENT_ID = 'automate client'
export const CLIENT_SECRET = 's3cret:+&/ü'

const hosts = new Map()

function stateOf(host) {
  if (!hosts.has(host)) hosts.set(host, { issued: new Set(), count: 0 })
  return hosts.get(host)
}

// Section 5.2: errors are 400 JSON { error, error_description }; a failed client authentication
// is 401 invalid_client, with WWW-Authenticate when the client used the Authorization header.
const tokenError = (status, error, description, headers = {}) =>
  json(
    status,
    { error, error_description: description },
    { 'cache-control': 'no-store', ...headers },
  )

// Section 2.3.1: the id and the secret are application/x-www-form-urlencoded, then joined by a
// colon and sent as HTTP Basic.
function basicPair(header) {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '')
  if (!match) return undefined
  const bytes = Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0))
  const text = new TextDecoder().decode(bytes)
  const colon = text.indexOf(':')
  if (colon < 0) return undefined
  const decode = (part) => decodeURIComponent(part.replace(/\+/g, ' '))
  return { id: decode(text.slice(0, colon)), secret: decode(text.slice(colon + 1)) }
}

function token(request, state) {
  // Section 3.2: "The client MUST use the HTTP POST method" with a form body.
  if (request.method !== 'POST')
    return tokenError(400, 'invalid_request', 'the token endpoint takes POST')
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return tokenError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded')
  const form = new URLSearchParams(request.rawBody)
  if (!form.has('grant_type')) return tokenError(400, 'invalid_request', 'grant_type is missing')
  if (form.get('grant_type') !== 'client_credentials')
    return tokenError(400, 'unsupported_grant_type', `${form.get('grant_type')} is not supported`)
  const basic = request.headers.authorization ? basicPair(request.headers.authorization) : undefined
  const inBody = form.has('client_id') || form.has('client_secret')
  // Section 2.3: "The client MUST NOT use more than one authentication method in each request."
  if (request.headers.authorization && inBody)
    return tokenError(400, 'invalid_request', 'more than one client authentication method')
  const client =
    basic ?? (inBody ? { id: form.get('client_id'), secret: form.get('client_secret') } : undefined)
  if (!client || client.id !== CLIENT_ID || client.secret !== CLIENT_SECRET) {
    return tokenError(
      401,
      'invalid_client',
      'Client authentication failed',
      request.headers.authorization ? { 'www-authenticate': 'Basic realm="token"' } : {},
    )
  }
  state.count += 1
  const accessToken = `at-${crypto.randomUUID()}`
  state.issued.add(accessToken)
  // Section 5.1: access_token, token_type, and expires_in (RECOMMENDED).
  return json(
    200,
    {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: form.get('scope') ?? undefined,
    },
    { 'cache-control': 'no-store' },
  )
}

export function oauthServer(request, url) {
  const state = stateOf(url.host)
  if (request.path === '/oauth/token') return token(request, state)
  if (request.path === '/oauth/issued') return json(200, { count: state.count })
  // RFC 6750 section 3.1: a missing or unknown token is 401 invalid_token.
  const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')
  if (!match || !state.issued.has(match[1])) {
    return json(
      401,
      { error: 'invalid_token' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    )
  }
  return json(200, { ok: true, path: request.path })
}
