// An OAuth 2.0 authorization server shaped like Google's
// (https://developers.google.com/identity/protocols/oauth2/web-server), at any `oauth-*` host,
// with PKCE (RFC 7636) and refresh token rotation, and the Google APIs its tokens open: userinfo,
// Gmail's messages.send and Calendar's events.insert (at the official hosts, or under
// `google-api-*` for a credential whose baseUrl points there).
//
//   POST /__oauth/clients  { client_id, client_secret, redirect_uris, email?, access_ttl?,
//                            rotate?, consent?: 'allow' | 'deny', token_prefix?, style?: 'slack',
//                            extra?, access_tokens?, refresh_tokens? }  registers an app (the
//                            token lists, when given, are issued first, in order: a test that
//                            hunts for tokens makes them itself) (rotate: each refresh gives a new refresh
//                            token and spends the old one; style 'slack': failures are HTTP 200
//                            { ok: false, error } as Slack's oauth.v2.access answers them)
//   POST /__oauth/revoke-grant { client_id }  the user removes the app's access at the provider
//   POST /__oauth/expire { client_id }  every access token of the app expires now
//   GET  /__gmail/sent     the messages Gmail accepted, decoded: { headers, parts, threadId }
//   GET  /__calendar/events  the events Calendar created
//
//   GET  /authorize  consents at once and answers 302 to redirect_uri?code&state&iss
//   POST /token      authorization_code (with code_verifier) and refresh_token grants
//   POST /revoke     RFC 7009 (Google: https://developers.google.com/identity/protocols/oauth2/web-server#tokenrevoke)
// State is shared by every host: tests use their own client ids.
import { bearerOf, json } from './reply.js'

const clients = new Map()
const codes = new Map()
const refreshTokens = new Map()
const accessTokens = new Map()
const sent = []
const events = []
let counter = 0

const id = (prefix) => `${prefix}${++counter}-${crypto.randomUUID().replace(/-/g, '')}`

async function s256(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

export function oauthAdmin(request, url) {
  const body = request.body ?? {}
  if (url.pathname === '/__oauth/clients') {
    clients.set(body.client_id, { access_ttl: 3599, consent: 'allow', ...body })
    return json(200, { ok: true })
  }
  if (url.pathname === '/__oauth/revoke-grant') {
    for (const [token, grant] of refreshTokens)
      if (grant.client_id === body.client_id) refreshTokens.delete(token)
    for (const [token, grant] of accessTokens)
      if (grant.client_id === body.client_id) accessTokens.delete(token)
    return json(200, { ok: true })
  }
  if (url.pathname === '/__oauth/expire') {
    for (const grant of accessTokens.values())
      if (grant.client_id === body.client_id) grant.expires_at = 0
    return json(200, { ok: true })
  }
  if (url.pathname === '/__gmail/sent') return json(200, { messages: sent })
  if (url.pathname === '/__calendar/events') return json(200, { events })
  return json(404, { error: 'unknown admin path' })
}

// Google's token errors: 400 { error, error_description }, 401 for a client it does not know
// (https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code).
function tokenError(client, status, error, description) {
  if (client?.style === 'slack') return json(200, { ok: false, error })
  return json(status, { error, error_description: description })
}

export async function oauthServer(request, url) {
  if (url.pathname === '/authorize') return authorize(url)
  if (url.pathname === '/token') return token(request, url)
  if (url.pathname === '/revoke') return revoke(request)
  return json(404, { error: 'not_found' })
}

function authorize(url) {
  const q = url.searchParams
  const client = clients.get(q.get('client_id'))
  // Google shows an error page for these and never redirects back: the URI is not trusted yet.
  if (!client)
    return json(401, {
      error: 'invalid_client',
      error_description: 'The OAuth client was not found.',
    })
  if (!client.redirect_uris.includes(q.get('redirect_uri')))
    return json(400, {
      error: 'redirect_uri_mismatch',
      error_description: 'Error 400: redirect_uri_mismatch',
    })
  if (q.get('response_type') !== 'code') return json(400, { error: 'unsupported_response_type' })
  const back = new URL(q.get('redirect_uri'))
  if (q.get('state')) back.searchParams.set('state', q.get('state'))
  // RFC 9207: the issuer names itself on the redirect.
  back.searchParams.set('iss', url.origin)
  if (client.consent === 'deny') {
    back.searchParams.set('error', 'access_denied')
    return { status: 302, headers: { location: back.toString() }, body: '' }
  }
  // PKCE: only S256 is accepted here (RFC 7636 §4.2; plain is for clients that cannot hash).
  if (q.get('code_challenge') && q.get('code_challenge_method') !== 'S256') {
    back.searchParams.set('error', 'invalid_request')
    return { status: 302, headers: { location: back.toString() }, body: '' }
  }
  const code = id('code-')
  codes.set(code, {
    client_id: client.client_id,
    redirect_uri: q.get('redirect_uri'),
    challenge: q.get('code_challenge'),
    scope: q.get('scope') ?? '',
    used: false,
  })
  back.searchParams.set('code', code)
  return { status: 302, headers: { location: back.toString() }, body: '' }
}

function clientOf(request, form) {
  let clientId = form.get('client_id')
  let secret = form.get('client_secret')
  const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')
  if (basic) {
    const [user, pass] = atob(basic[1]).split(':').map(decodeURIComponent)
    clientId = user
    secret = pass
  }
  const client = clients.get(clientId)
  return client && client.client_secret === secret ? client : undefined
}

function issue(client, scope, refresh) {
  const access =
    client.access_tokens?.shift() ?? `${client.token_prefix ?? 'ya29.'}${id('access-')}`
  accessTokens.set(access, {
    client_id: client.client_id,
    scope,
    email: client.email ?? 'someone@example.com',
    expires_at: Date.now() + client.access_ttl * 1000,
  })
  const answer = {
    access_token: access,
    expires_in: client.access_ttl,
    scope,
    token_type: client.token_type ?? 'Bearer',
    ...(client.extra ?? {}),
    ...(client.style === 'slack' ? { ok: true } : {}),
  }
  if (refresh) {
    const token = client.refresh_tokens?.shift() ?? `1//${id('refresh-')}`
    refreshTokens.set(token, { client_id: client.client_id, scope })
    answer.refresh_token = token
  }
  return answer
}

async function token(request) {
  if (request.method !== 'POST') return json(405, { error: 'invalid_request' })
  if (
    !String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  )
    return json(400, { error: 'invalid_request', error_description: 'Bad Request' })
  const form = new URLSearchParams(request.rawBody ?? '')
  const client = clientOf(request, form)
  if (!client)
    return tokenError(clients.get(form.get('client_id')), 401, 'invalid_client', 'Unauthorized')
  const grant = form.get('grant_type')
  if (grant === 'authorization_code') {
    const code = codes.get(form.get('code'))
    if (!code || code.used || code.client_id !== client.client_id)
      return tokenError(client, 400, 'invalid_grant', 'Bad Request')
    code.used = true
    if (code.redirect_uri !== form.get('redirect_uri'))
      return tokenError(client, 400, 'redirect_uri_mismatch', 'Bad Request')
    if (code.challenge) {
      const verifier = form.get('code_verifier') ?? ''
      if (!verifier || (await s256(verifier)) !== code.challenge)
        return tokenError(client, 400, 'invalid_grant', 'Invalid code verifier.')
    }
    return json(200, issue(client, code.scope, true))
  }
  if (grant === 'refresh_token') {
    const old = refreshTokens.get(form.get('refresh_token'))
    if (!old || old.client_id !== client.client_id)
      return tokenError(client, 400, 'invalid_grant', 'Token has been expired or revoked.')
    if (client.rotate) refreshTokens.delete(form.get('refresh_token'))
    return json(200, issue(client, old.scope, client.rotate))
  }
  return tokenError(client, 400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`)
}

function revoke(request) {
  const form = new URLSearchParams(request.rawBody ?? '')
  const value = form.get('token')
  if (refreshTokens.has(value)) {
    const { client_id } = refreshTokens.get(value)
    // Revoking a refresh token ends the grant: its access tokens stop working too.
    return oauthAdmin({ body: { client_id } }, new URL('https://x/__oauth/revoke-grant'))
  }
  if (accessTokens.delete(value)) return json(200, {})
  return json(400, { error: 'invalid_token', error_description: 'Token expired or revoked' })
}

/** The grant behind a bearer token still good, or undefined. For the Google API fakes. */
export function userOf(request) {
  const grant = accessTokens.get(bearerOf(request))
  return grant && grant.expires_at > Date.now() ? grant : undefined
}

const googleError = (code, status, message, reason) =>
  json(code, { error: { code, message, errors: [{ message, domain: 'global', reason }], status } })

const unauthenticated = () =>
  googleError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    'authError',
  )
const insufficient = () =>
  googleError(
    403,
    'PERMISSION_DENIED',
    'Request had insufficient authentication scopes.',
    'insufficientPermissions',
  )

const hasScope = (grant, scope) => grant.scope.split(' ').includes(scope)

/** userinfo, Gmail and Calendar, with a token from the server above. */
export function googleUserApis(request, url) {
  const grant = userOf(request)
  if (url.pathname === '/v1/userinfo') {
    // https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation
    if (!grant)
      return json(401, { error: 'invalid_request', error_description: 'Invalid Credentials' })
    return json(200, { sub: grant.client_id, email: grant.email, email_verified: true })
  }
  if (!grant) return unauthenticated()
  if (url.pathname === '/gmail/v1/users/me/messages/send' && request.method === 'POST')
    return gmailSend(request, grant)
  const calendar = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(url.pathname)
  if (calendar && request.method === 'POST')
    return calendarInsert(request, grant, decodeURIComponent(calendar[1]), url)
  return googleError(404, 'NOT_FOUND', 'Requested entity was not found.', 'notFound')
}

// users.messages.send: `raw` is "the entire email message in an RFC 2822 formatted and base64url
// encoded string" (https://developers.google.com/gmail/api/reference/rest/v1/users.messages);
// standard base64 ('+', '/') is refused as not base64url; a message without a recipient is
// "Recipient address required" (https://developers.google.com/gmail/api/guides/sending).
function gmailSend(request, grant) {
  if (!hasScope(grant, 'https://www.googleapis.com/auth/gmail.send')) return insufficient()
  const raw = request.body?.raw
  if (typeof raw !== 'string' || !/^[A-Za-z0-9_-]+=*$/.test(raw))
    return googleError(
      400,
      'INVALID_ARGUMENT',
      "Invalid value at 'message.raw' (TYPE_BYTES), Base64 decoding failed",
      'invalid',
    )
  const bytes = Uint8Array.from(atob(raw.replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  )
  const text = new TextDecoder().decode(bytes)
  const message = parseMessage(text)
  if (message.error) return googleError(400, 'INVALID_ARGUMENT', message.error, 'invalidArgument')
  const to = message.headers.to ?? ''
  if (!to && !message.headers.cc && !message.headers.bcc)
    return googleError(400, 'INVALID_ARGUMENT', 'Recipient address required', 'invalidArgument')
  const threadId = request.body.threadId ?? id('thread-')
  const record = { id: id('msg-'), threadId, ...message, from: grant.email }
  sent.push(record)
  return json(200, { id: record.id, threadId, labelIds: ['SENT'] })
}

/** An RFC 2822 message: CRLF lines, ASCII headers (RFC 2047 words decoded), MIME parts. */
function parseMessage(text) {
  const split = text.indexOf('\r\n\r\n')
  if (split === -1) return { error: 'Invalid message: no header/body separator (CRLF CRLF)' }
  const head = text.slice(0, split)
  if (/[^\x00-\x7f]/.test(head))
    return { error: 'Invalid header: raw non-ASCII text (use RFC 2047 encoded words)' }
  if (/(^|[^\r])\n/.test(head)) return { error: 'Invalid message: header lines must end in CRLF' }
  const headers = {}
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon < 1) return { error: `Invalid header line: ${line.slice(0, 40)}` }
    headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim())
  }
  return {
    headers,
    parts: parts(headers['content-type'] ?? 'text/plain', headers, text.slice(split + 4)),
  }
}

// RFC 2047 §6.2: white space between two encoded words is dropped; beside plain text it stays.
function decodeWords(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=/gi, (_, b64) =>
      new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))),
    )
}

function parts(type, headers, body) {
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1]
  if (!type.startsWith('multipart/') || !boundary)
    return [{ type, text: decodeBody(headers, body) }]
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((chunk) => !chunk.startsWith('--'))
    .map((chunk) => {
      const parsed = parseMessage(chunk.replace(/^\r\n/, ''))
      return parsed.parts[0]
    })
}

function decodeBody(headers, body) {
  if ((headers['content-transfer-encoding'] ?? '').toLowerCase() === 'base64')
    return new TextDecoder().decode(
      Uint8Array.from(atob(body.replace(/\s+/g, '')), (c) => c.charCodeAt(0)),
    )
  return body.replace(/\r\n$/, '')
}

// events.insert (https://developers.google.com/calendar/api/v3/reference/events/insert): start and
// end are both `date` (all-day) or both `dateTime`; a dateTime without an offset needs timeZone
// ("Missing time zone definition for start time."); an end before the start is "The specified
// time range is empty." (https://developers.google.com/calendar/api/guides/errors).
function calendarInsert(request, grant, calendarId, url) {
  if (!hasScope(grant, 'https://www.googleapis.com/auth/calendar.events')) return insufficient()
  const event = request.body ?? {}
  for (const edge of ['start', 'end']) {
    const at = event[edge]
    if (!at || (!at.date && !at.dateTime))
      return googleError(400, 'INVALID_ARGUMENT', `Missing ${edge} time.`, 'required')
    if (at.dateTime && !/(Z|[+-]\d\d:\d\d)$/.test(at.dateTime) && !at.timeZone)
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `Missing time zone definition for ${edge} time.`,
        'required',
      )
  }
  if (Boolean(event.start.date) !== Boolean(event.end.date))
    return googleError(400, 'INVALID_ARGUMENT', 'Invalid start time.', 'invalid')
  const from = event.start.date ?? event.start.dateTime.slice(0, 19)
  const to = event.end.date ?? event.end.dateTime.slice(0, 19)
  if (to < from || (event.start.date && to === from))
    return googleError(
      400,
      'INVALID_ARGUMENT',
      'The specified time range is empty.',
      'timeRangeEmpty',
    )
  const created = {
    kind: 'calendar#event',
    id: id('event'),
    status: 'confirmed',
    htmlLink: `https://www.google.com/calendar/event?eid=${counter}`,
    calendarId,
    summary: event.summary,
    start: event.start,
    end: event.end,
    ...(event.attendees
      ? { attendees: event.attendees.map((a) => ({ ...a, responseStatus: 'needsAction' })) }
      : {}),
    sendUpdates: url.searchParams.get('sendUpdates'),
  }
  events.push({ ...created, request: event })
  return json(200, created)
}
