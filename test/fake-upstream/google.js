// Google: the OAuth 2.0 token endpoint for service accounts
// (https://developers.google.com/identity/protocols/oauth2/service-account#httprest) and the
// Sheets API v4 values methods (https://developers.google.com/sheets/api/reference/rest).
//
//   POST /__google/keys { client_email, jwk }  registers a service account's public key (a test
//                                              makes its key pair at run time: none is committed)
//   POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>
//                 verified against the registered key; iss, aud (this URL), scope, iat and exp
//                 are checked as Google documents; answers { access_token, expires_in, token_type }
//   GET  /v4/spreadsheets/{id}/values/{range}
//   POST /v4/spreadsheets/{id}/values/{range}:append?valueInputOption=…
//
// Spreadsheets exist once written to; "with-header" starts with a header row, "missing" is 404.
// Keys, tokens and sheets are shared by every host: tests use their own ids.
import { bearerOf, json } from './reply.js'

const keys = new Map()
const tokens = new Map()
const sheets = new Map()
let issued = 0

const SCOPE = 'https://www.googleapis.com/auth/spreadsheets'

export async function googleAdmin(request) {
  keys.set(request.body.client_email, request.body.jwk)
  return json(200, { ok: true })
}

const oauthError = (error, description) => json(400, { error, error_description: description })

export async function googleToken(request, url) {
  if (request.method !== 'POST') return json(405, { error: 'invalid_request' })
  if (
    !String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
  )
    return oauthError('invalid_request', 'Bad Request')
  const form = new URLSearchParams(request.rawBody ?? '')
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
    return oauthError('unsupported_grant_type', 'Invalid grant_type: ' + form.get('grant_type'))
  const parts = (form.get('assertion') ?? '').split('.')
  if (parts.length !== 3)
    return oauthError(
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe',
    )
  const [header, claims] = parts
    .slice(0, 2)
    .map((p) => JSON.parse(atob(p.replace(/-/g, '+').replace(/_/g, '/'))))
  if (header.alg !== 'RS256') return oauthError('invalid_grant', 'Invalid JWT Signature.')
  const jwk = keys.get(claims.iss)
  if (!jwk) return oauthError('invalid_grant', 'Invalid grant: account not found')
  const key = await crypto.subtle.importKey(
    'jwk',
    jwk,
    { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['verify'],
  )
  const signature = Uint8Array.from(atob(parts[2].replace(/-/g, '+').replace(/_/g, '/')), (c) =>
    c.charCodeAt(0),
  )
  const valid = await crypto.subtle.verify(
    'RSASSA-PKCS1-v1_5',
    key,
    signature,
    new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
  )
  if (!valid) return oauthError('invalid_grant', 'Invalid JWT Signature.')
  const now = Math.floor(Date.now() / 1000)
  if (claims.aud !== `${url.origin}${url.pathname}`)
    return oauthError('invalid_grant', 'Invalid JWT: aud is not the token endpoint')
  if (
    typeof claims.iat !== 'number' ||
    typeof claims.exp !== 'number' ||
    claims.exp - claims.iat > 3600 ||
    claims.exp < now ||
    claims.iat > now + 300
  )
    return oauthError(
      'invalid_grant',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
    )
  if (
    !String(claims.scope ?? '')
      .split(' ')
      .includes(SCOPE)
  )
    return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.')
  issued += 1
  const token = `ya29.fake-${issued}-${crypto.randomUUID()}`
  tokens.set(token, claims.iss)
  return json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' })
}

const googleError = (code, status, message) => json(code, { error: { code, message, status } })

export function sheetsApi(request) {
  const token = bearerOf(request)
  if (!token || !tokens.has(token))
    return googleError(
      401,
      'UNAUTHENTICATED',
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    )
  const match = /^\/v4\/spreadsheets\/([^/]+)\/values\/([^/]+?)(:append)?$/.exec(request.path)
  if (!match) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.')
  const [, id, encodedRange, append] = match
  if (id === 'missing') return googleError(404, 'NOT_FOUND', 'Requested entity was not found.')
  if (id === 'not-shared')
    return googleError(403, 'PERMISSION_DENIED', 'The caller does not have permission')
  const range = decodeURIComponent(encodedRange)
  const { sheet, startRow, endRow } = parseRange(range)
  const rows = sheetRows(id, sheet)
  if (append) {
    if (request.method !== 'POST')
      return googleError(404, 'NOT_FOUND', 'Requested entity was not found.')
    const option = request.query.valueInputOption
    if (!option)
      return googleError(
        400,
        'INVALID_ARGUMENT',
        "'valueInputOption' is required but not specified",
      )
    if (!['RAW', 'USER_ENTERED'].includes(option))
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `Invalid value at 'value_input_option' (type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "${option}"`,
      )
    const values = request.body?.values
    if (!Array.isArray(values) || !values.every(Array.isArray))
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Invalid JSON payload received. Unknown name "values": Proto field is not repeating, cannot start list.',
      )
    const first = rows.length + 1
    rows.push(
      ...values.map((row) =>
        row.map((v) =>
          option === 'USER_ENTERED' && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)
            ? Number(v)
            : v,
        ),
      ),
    )
    const width = Math.max(0, ...values.map((r) => r.length))
    return json(200, {
      spreadsheetId: id,
      tableRange: first > 1 ? `${sheet}!A1:${column(width)}${first - 1}` : undefined,
      updates: {
        spreadsheetId: id,
        updatedRange: `${sheet}!A${first}:${column(width)}${first + values.length - 1}`,
        updatedRows: values.length,
        updatedColumns: width,
        updatedCells: values.reduce((n, r) => n + r.length, 0),
      },
    })
  }
  if (request.method !== 'GET')
    return googleError(404, 'NOT_FOUND', 'Requested entity was not found.')
  const picked = rows.slice(startRow - 1, endRow ?? rows.length).map((row) => row.map(String))
  const answer = {
    range: `${sheet}!A${startRow}:Z${endRow ?? Math.max(rows.length, startRow)}`,
    majorDimension: 'ROWS',
  }
  // Google leaves `values` out when the range is empty.
  return json(200, picked.length ? { ...answer, values: picked } : answer)
}

function sheetRows(id, sheet) {
  const key = `${id}/${sheet}`
  if (!sheets.has(key))
    sheets.set(key, id.startsWith('with-header') ? [['Name', 'Email', 'Plan']] : [])
  return sheets.get(key)
}

/** "Sheet1", "Sheet1!A:C", "Sheet1!A2:C", "'My sheet'!1:1" → the sheet and the rows asked for. */
function parseRange(range) {
  const bang = range.lastIndexOf('!')
  const sheet = (bang === -1 ? range : range.slice(0, bang)).replace(/^'(.*)'$/, '$1')
  const cells = bang === -1 ? '' : range.slice(bang + 1)
  const [from, to] = cells.split(':')
  const rowOf = (ref) => (ref && /\d+$/.test(ref) ? Number(/\d+$/.exec(ref)[0]) : undefined)
  return { sheet, startRow: rowOf(from) ?? 1, endRow: rowOf(to) }
}

function column(n) {
  let name = ''
  for (let i = Math.max(n, 1); i > 0; i = Math.floor((i - 1) / 26))
    name = String.fromCharCode(65 + ((i - 1) % 26)) + name
  return name
}
