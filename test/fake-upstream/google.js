// Google: the OAuth 2.0 token endpoint for service accounts
// (https://developers.google.com/identity/protocols/oauth2/service-account#httprest) and the
// Sheets API v4 values methods (https://developers.google.com/sheets/api/reference/rest).
//
//   POST /__google/keys { client_email, jwk }  registers a service account's public key (a test
//                                              makes its key pair at run time: none is committed)
//   POST /token   grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<RS256 JWT>
//                 verified against the registered key; iss, aud (this URL), scope, iat and exp
//                 are checked as Google documents; answers { access_token, expires_in, token_type }
//   GET  /v4/spreadsheets/{id}/values/{range}?valueRenderOption=…&dateTimeRenderOption=…
//   POST /v4/spreadsheets/{id}/values/{range}:append?valueInputOption=…&insertDataOption=…
//
// Spreadsheets exist once named, with one sheet, Sheet1; "with-header" ones start with a header
// row, "missing" is 404 and "not-shared" 403. An unknown sheet is a 400, 60 reads or 60 writes a
// minute per service account a 429, as Google answers them.
// Keys, tokens and sheets are shared by every host: tests use their own ids.
import { userOf } from './oauth.js'
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

const googleError = (code, status, message, extra = {}) =>
  json(code, { error: { code, message, status, ...extra } })

// Per-minute quotas per user (here: per service account), reads and writes apart: 60 each
// (https://developers.google.com/sheets/api/limits). Counted over the last 60 s, so a test never
// depends on where a minute starts; a refused request is not counted.
const QUOTA_PER_MINUTE = 60
const usage = new Map()

function overQuota(user, kind) {
  const key = `${user}/${kind}`
  const now = Date.now()
  const recent = (usage.get(key) ?? []).filter((t) => now - t < 60_000)
  usage.set(key, recent)
  if (recent.length >= QUOTA_PER_MINUTE) return true
  recent.push(now)
  return false
}

const quotaExceeded = (kind) => {
  const metric = kind === 'read' ? 'Read requests' : 'Write requests'
  // Google's 429 carries no Retry-After: "After 1 minute, you can execute requests again."
  return googleError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${metric}' and limit '${metric} per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:100000000001'.`,
    {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'RATE_LIMIT_EXCEEDED',
          domain: 'googleapis.com',
          metadata: {
            service: 'sheets.googleapis.com',
            quota_metric: `sheets.googleapis.com/${kind}_requests`,
          },
        },
      ],
    },
  )
}

const RENDER = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA']
const DATE_RENDER = ['SERIAL_NUMBER', 'FORMATTED_STRING']
const enumError = (field, type, value) =>
  googleError(
    400,
    'INVALID_ARGUMENT',
    `Invalid value at '${field}' (type.googleapis.com/google.apps.sheets.v4.${type}), "${value}"`,
  )

export function sheetsApi(request) {
  const token = bearerOf(request)
  // A user's OAuth token (oauth.js) opens the sheets as a service account's does.
  const user = tokens.get(token) ?? userOf(request)?.email
  if (!token || !user)
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
  if ((append ? 'POST' : 'GET') !== request.method)
    return googleError(404, 'NOT_FOUND', 'Requested entity was not found.')
  const kind = append ? 'write' : 'read'
  if (overQuota(user, kind)) return quotaExceeded(kind)
  const range = decodeURIComponent(encodedRange)
  const book = spreadsheet(id)
  const area = parseRange(range, book)
  // An unknown sheet, or cells that are not A1 notation, is Google's 400 for the whole range.
  if (!area) return googleError(400, 'INVALID_ARGUMENT', `Unable to parse range: ${range}`)
  return append ? appendRows(request, id, area) : readRows(request, area)
}

// https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append
function appendRows(request, id, area) {
  const option = request.query.valueInputOption
  if (!option)
    return googleError(400, 'INVALID_ARGUMENT', "'valueInputOption' is required but not specified")
  if (!['RAW', 'USER_ENTERED'].includes(option))
    return enumError('value_input_option', 'ValueInputOption', option)
  const insert = request.query.insertDataOption
  if (insert !== undefined && !['OVERWRITE', 'INSERT_ROWS'].includes(insert))
    return enumError('insert_data_option', 'InsertDataOption', insert)
  const values = request.body?.values
  if (!Array.isArray(values) || !values.every(Array.isArray))
    return googleError(
      400,
      'INVALID_ARGUMENT',
      'Invalid JSON payload received. Unknown name "values": Proto field is not repeating, cannot start list.',
    )
  // "The input range is used to search for existing data and find a table within that range.
  // Values will be appended to the next row of the table, starting with the first column of the
  // table." Here the table is every filled cell of the range's columns from its first row on.
  const { grid, name } = area
  let top = Infinity
  let left = Infinity
  let bottom = -1
  for (let r = area.row; r <= Math.min(area.lastRow, grid.length - 1); r++) {
    const row = grid[r] ?? []
    for (let c = area.column; c <= Math.min(area.lastColumn, row.length - 1); c++) {
      if (row[c] === undefined) continue
      top = Math.min(top, r)
      left = Math.min(left, c)
      bottom = r
    }
  }
  const found = bottom !== -1
  const column = found ? left : area.column
  const first = found ? bottom + 1 : area.row
  values.forEach((row, i) => {
    const target = (grid[first + i] ??= [])
    row.forEach((value, j) => {
      target[column + j] = option === 'USER_ENTERED' ? typed(value) : { value }
    })
  })
  const width = Math.max(1, ...values.map((r) => r.length))
  return json(200, {
    spreadsheetId: id,
    ...(found
      ? { tableRange: `${name}!${cell(left, top)}:${cell(column + width - 1, bottom)}` }
      : {}),
    updates: {
      spreadsheetId: id,
      updatedRange: `${name}!${cell(column, first)}:${cell(column + width - 1, first + values.length - 1)}`,
      updatedRows: values.length,
      updatedColumns: width,
      updatedCells: values.reduce((n, r) => n + r.length, 0),
    },
  })
}

// https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/get
function readRows(request, area) {
  const render = request.query.valueRenderOption ?? 'FORMATTED_VALUE'
  if (!RENDER.includes(render)) return enumError('value_render_option', 'ValueRenderOption', render)
  const dates = request.query.dateTimeRenderOption ?? 'SERIAL_NUMBER'
  if (!DATE_RENDER.includes(dates))
    return enumError('date_time_render_option', 'DateTimeRenderOption', dates)
  const { grid, name } = area
  const last = Math.min(area.lastRow, grid.length - 1)
  const rows = []
  for (let r = area.row; r <= last; r++) {
    const row = (grid[r] ?? []).slice(area.column, area.lastColumn + 1)
    // Google leaves out empty cells at the end of a row, and empty rows at the end.
    while (row.length && row.at(-1) === undefined) row.pop()
    rows.push(Array.from(row, (c) => (c === undefined ? '' : rendered(c, render, dates))))
  }
  while (rows.length && rows.at(-1).length === 0) rows.pop()
  const answer = {
    range: `${name}!${cell(area.column, area.row)}:${cell(Math.min(area.lastColumn, GRID_COLUMNS - 1), Math.min(area.lastRow, GRID_ROWS - 1))}`,
    majorDimension: 'ROWS',
  }
  // Google leaves `values` out when the range is empty.
  return json(200, rows.length ? { ...answer, values: rows } : answer)
}

// What USER_ENTERED makes of a value "as if the user typed it into the UI"
// (https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption), in the en_US
// locale: enough of it to tell RAW from USER_ENTERED.
function typed(value) {
  if (typeof value !== 'string') return { value }
  if (value.startsWith("'")) return { value: value.slice(1) }
  if (/^[+-]?\d+(\.\d+)?$/.test(value)) return { value: Number(value) }
  if (/^(true|false)$/i.test(value)) return { value: value.toUpperCase() === 'TRUE' }
  const date = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?$/.exec(value)
  if (date) {
    const year = date[3] ? Number(date[3]) : new Date().getUTCFullYear()
    const serial = (Date.UTC(year, Number(date[1]) - 1, Number(date[2])) - EPOCH) / 86_400_000
    return { value: serial, date: true }
  }
  // A formula; this fake computes none. "+44 20 7946 0000" is one that does not parse.
  if (value.startsWith('=')) return { formula: value, value: '#N/A' }
  if (value.startsWith('+')) return { formula: `=${value}`, value: '#ERROR!' }
  return { value }
}

// Serial numbers count days from 1899-12-30
// (https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption).
const EPOCH = Date.UTC(1899, 11, 30)

function rendered(cell, render, dates) {
  if (render === 'FORMULA' && cell.formula) return cell.formula
  if (cell.date) {
    const text = new Date(EPOCH + cell.value * 86_400_000)
    const formatted = `${text.getUTCMonth() + 1}/${text.getUTCDate()}/${text.getUTCFullYear()}`
    if (render === 'FORMATTED_VALUE' || dates === 'FORMATTED_STRING') return formatted
    return cell.value
  }
  if (render !== 'FORMATTED_VALUE') return cell.value
  if (typeof cell.value === 'boolean') return cell.value ? 'TRUE' : 'FALSE'
  return String(cell.value)
}

// A new spreadsheet has one sheet, Sheet1, of 1000 rows and 26 columns; "with-header…" ones start
// with Name, Email, Plan in A1:C1.
const GRID_ROWS = 1000
const GRID_COLUMNS = 26

function spreadsheet(id) {
  if (!sheets.has(id)) {
    const grid = []
    if (id.startsWith('with-header'))
      grid[0] = ['Name', 'Email', 'Plan'].map((value) => ({ value }))
    sheets.set(id, new Map([['Sheet1', grid]]))
  }
  return sheets.get(id)
}

// A1 notation (https://developers.google.com/sheets/api/guides/concepts#cell): "Sheet1",
// "Sheet1!B:E", "'My sheet'!A2:C", or cells alone ("A:D", "1:1") on the first visible sheet.
// Rows and columns are 0-based here. Undefined when the sheet does not exist or the cells do not
// parse.
const REF = '(?:[A-Za-z]{1,3}\\d*|\\d+)'
const CELLS = new RegExp(`^(?:[A-Za-z]{1,3}\\d+|${REF}:${REF})$`)

function parseRange(range, book) {
  const bang = range.lastIndexOf('!')
  let sheetName
  let cells = ''
  if (bang !== -1) {
    sheetName = range.slice(0, bang)
    cells = range.slice(bang + 1)
    if (!CELLS.test(cells)) return undefined
  } else if (CELLS.test(range)) cells = range
  else sheetName = range
  if (sheetName !== undefined) {
    const quoted = /^'(.*)'$/.exec(sheetName)
    sheetName = quoted ? quoted[1].replace(/''/g, "'") : sheetName
  } else sheetName = book.keys().next().value
  const grid = book.get(sheetName)
  if (!grid) return undefined
  const [from = '', to = from] = cells.split(':')
  const columnOf = (ref, fallback) => {
    const letters = /^[A-Za-z]+/.exec(ref)?.[0]
    if (!letters) return fallback
    let n = 0
    for (const l of letters.toUpperCase()) n = n * 26 + (l.charCodeAt(0) - 64)
    return n - 1
  }
  const rowOf = (ref, fallback) => {
    const digits = /\d+$/.exec(ref)?.[0]
    return digits ? Number(digits) - 1 : fallback
  }
  const name = /^[A-Za-z0-9_]+$/.test(sheetName) ? sheetName : `'${sheetName.replace(/'/g, "''")}'`
  return {
    name,
    grid,
    column: columnOf(from, 0),
    row: rowOf(from, 0),
    lastColumn: columnOf(to, GRID_COLUMNS - 1),
    lastRow: rowOf(to, GRID_ROWS - 1),
  }
}

function cell(column, row) {
  let name = ''
  for (let i = column + 1; i > 0; i = Math.floor((i - 1) / 26))
    name = String.fromCharCode(65 + ((i - 1) % 26)) + name
  return `${name}${row + 1}`
}
