import { SignJWT, importPKCS8 } from 'jose'
import { z } from 'zod'
import { AutomateError } from '../errors'
import { rememberSecret } from '../redact/known-secrets'
import { apiUrl, callApi } from './call-api'
import { OAUTH2_KIND, oauthAccess, withAccessToken } from './oauth2'
import { type CredentialOf, defineService, httpUrl } from './service'

export const google = defineService({
  name: 'Google',
  errorCode: 'GOOGLE_ERROR',
  otherCodes: ['GOOGLE_SHEETS_ERROR', 'SHEET_HEADER_MISSING', 'SHEET_COLUMN_UNKNOWN'],
  baseUrl: 'https://sheets.googleapis.com',
  // Sheets: 60 read and 60 write requests per minute per user per project
  // (https://developers.google.com/workspace/sheets/api/limits).
  rateLimit: { calls: 60, intervalMs: 60_000 },
  credentials: {
    // The JSON key file Google gives, pasted as it is: its other fields are kept, unused. No
    // sample: a private key stays out of the repo (test/sample-credentials.ts makes one).
    'google-service-account': {
      data: z
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
      notSecret: ['type', 'client_email', 'private_key_id', 'token_uri'],
    },
    // A Google account connected with "Connect" (preset google, scope spreadsheets).
    oauth2: OAUTH2_KIND,
  },
})
const sheets = { name: 'Google Sheets', errorCode: 'GOOGLE_SHEETS_ERROR' } as const

type ServiceAccount = CredentialOf<typeof google, 'google-service-account'>

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets'
/** A token is used until this long before it expires, so a call never starts with a dying one. */
const EXPIRY_MARGIN_MS = 5 * 60_000

// Per isolate: access tokens by service account, scope and key, so a token is never handed to a
// request made with another key.
const tokens = new Map<string, { token: string; expiresAt: number }>()

/**
 * An OAuth access token for a service account: an RS256 JWT signed with its private key (jose),
 * exchanged at the key file's own token_uri, and cached until shortly before it expires.
 */
export async function googleAccessToken(
  credential: ServiceAccount,
  scope: string,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<string> {
  const { client_email: email, private_key: pem, token_uri: tokenUri } = credential.data
  const cacheKey = JSON.stringify([email, tokenUri, scope, await fingerprint(pem)])
  const cached = tokens.get(cacheKey)
  if (cached && cached.expiresAt - EXPIRY_MARGIN_MS > now) {
    rememberSecret(cached.token)
    return cached.token
  }

  let key: CryptoKey
  try {
    key = await importPKCS8(pem, 'RS256')
  } catch (error) {
    throw new AutomateError(
      'CREDENTIAL_INVALID',
      `Credential ${credential.name}: private_key is not a PKCS#8 RSA key; paste the key file as Google gave it`,
      { retryable: false, cause: error },
    )
  }
  const seconds = Math.floor(now / 1000)
  const assertion = await new SignJWT({ scope })
    .setProtectedHeader({
      alg: 'RS256',
      typ: 'JWT',
      ...(credential.data.private_key_id ? { kid: credential.data.private_key_id } : {}),
    })
    .setIssuer(email)
    .setAudience(tokenUri)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + 3600)
    .sign(key)
  const answer = await callApi({
    service: google,
    url: new URL(tokenUri),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion,
    }).toString(),
    signal,
  })
  const body = answer.body as { access_token?: string; expires_in?: number }
  if (typeof body?.access_token !== 'string') {
    throw new AutomateError('GOOGLE_ERROR', 'Google: the token endpoint answered without a token', {
      retryable: true,
    })
  }
  // A bearer token as good as the key for an hour: redaction learns it as it learns the key.
  rememberSecret(body.access_token)
  tokens.set(cacheKey, {
    token: body.access_token,
    expiresAt: now + (body.expires_in ?? 3600) * 1000,
  })
  return body.access_token
}

/** Forgets cached tokens: for tests, and after Google refuses one. */
export function forgetGoogleTokens() {
  tokens.clear()
}

async function fingerprint(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
}

/** A Sheets API v4 call with the service account's token; errors are Google's `{ error }`. */
export async function sheetsCall(
  credential: CredentialOf<typeof google>,
  request: {
    method: 'GET' | 'POST'
    path: string
    query?: Record<string, string>
    json?: unknown
    signal?: AbortSignal
  },
) {
  const url = apiUrl('https://sheets.googleapis.com', credential.baseUrl, request.path)
  for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value)
  const call = async (token: string) =>
    (
      await callApi({
        service: sheets,
        method: request.method,
        url,
        headers: { authorization: `Bearer ${token}` },
        json: request.json,
        signal: request.signal,
        retryAfterOf: quotaWaitMs,
      })
    ).body
  if (credential.type === 'oauth2') return withAccessToken(oauthAccess(credential, 'google'), call)
  const token = await googleAccessToken(credential, SHEETS_SCOPE, request.signal)
  try {
    return await call(token)
  } catch (error) {
    // A revoked or expired token: the next attempt signs a new one.
    if (error instanceof AutomateError && (error.details as { status?: number })?.status === 401)
      forgetGoogleTokens()
    throw error
  }
}

/**
 * Google answers a spent quota with 429 RESOURCE_EXHAUSTED and no Retry-After; its quotas are per
 * minute and "after 1 minute, you can execute requests again"
 * (https://developers.google.com/sheets/api/limits), so a retry sooner would only fail again.
 */
function quotaWaitMs(body: unknown) {
  const status = (body as { error?: { status?: string } } | null)?.error?.status
  return status === 'RESOURCE_EXHAUSTED' ? 60_000 : undefined
}

// A1 notation (https://developers.google.com/sheets/api/guides/concepts#cell): "A:D", "B2:E",
// "1:1" or "A1" without a sheet name mean cells of the first visible sheet; anything else without
// a "!" ("Sheet1", "Signups") names a sheet. Columns run from A to ZZZ.
const REF = '(?:[A-Za-z]{1,3}\\d*|\\d+)'
const CELLS = new RegExp(`^(?:[A-Za-z]{1,3}\\d+|${REF}:${REF})$`)

/** The parts of an A1 range that say where its table starts. */
export function a1Range(range: string) {
  const bang = range.lastIndexOf('!')
  let sheet: string | undefined
  let cells = ''
  if (bang !== -1) {
    sheet = range.slice(0, bang)
    cells = range.slice(bang + 1)
  } else if (CELLS.test(range)) cells = range
  else sheet = range
  const [from = '', to = ''] = cells.split(':')
  const column = (ref: string) => /^[A-Za-z]+/.exec(ref)?.[0]
  const row = /\d+$/.exec(from)?.[0]
  const last = column(to)
  return {
    /** As the user wrote it, quotes included; undefined for the first visible sheet. */
    sheet,
    /** 0 for column A. */
    firstColumn: columnIndex(column(from) ?? 'A'),
    /** 1 for row 1. */
    firstRow: row ? Number(row) : 1,
    lastColumn: last ? columnIndex(last) : undefined,
  }
}

function columnIndex(letters: string) {
  let index = 0
  for (const letter of letters.toUpperCase()) index = index * 26 + (letter.charCodeAt(0) - 64)
  return index - 1
}

/** The path of a values call: the range is one path segment, so `/` and `#` in it are escaped. */
export function valuesPath(spreadsheetId: string, range: string, suffix = '') {
  return `/v4/spreadsheets/${encodeURIComponent(spreadsheetId)}/values/${encodeURIComponent(range)}${suffix}`
}

/**
 * Rows as objects keyed by the header row (its cells trimmed; a blank header cell's column is
 * left out): what google-sheets-read returns and google-sheets-new-rows starts each run with.
 */
export function keyedRows(header: unknown[], rows: unknown[][]) {
  const keys = header.map((name) => String(name).trim())
  return rows.map((row) =>
    Object.fromEntries(keys.map((key, i) => [key, row[i] ?? ''] as const).filter(([key]) => key)),
  )
}
