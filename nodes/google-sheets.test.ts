import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import { serviceAccount } from '../test/google-account'
import googleSheetsAppend from './google-sheets-append'
import googleSheetsRead from './google-sheets-read'

const sheetId = (prefix = 'sheet') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

describe('google-sheets-append', () => {
  it('signs a JWT, exchanges it at token_uri and appends the rows as USER_ENTERED', async () => {
    const { credential, keyFile, tokenHost, sheets } = await serviceAccount()
    const spreadsheetId = sheetId()
    const output = await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1!A:C',
      values: [
        ['Ada', 'ada@example.com', '3'],
        ['Bob', 'bob@example.com', 4],
      ],
    })
    expect(output).toEqual({ updatedRange: 'Sheet1!A1:C2', updatedRows: 2, updatedCells: 6 })

    const [tokenRequest] = (await tokenHost.received()).requests.filter((r) => r.path === '/token')
    expect(tokenRequest!.method).toBe('POST')
    expect(tokenRequest!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(tokenRequest!.body as string)
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    const assertion = form.get('assertion')!
    expect(decodeProtectedHeader(assertion)).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      kid: keyFile.private_key_id,
    })
    const claims = decodeJwt(assertion)
    expect(claims).toMatchObject({
      iss: keyFile.client_email,
      aud: keyFile.token_uri,
      scope: 'https://www.googleapis.com/auth/spreadsheets',
    })
    expect(claims.exp! - claims.iat!).toBe(3600)

    const [append] = (await sheets.received()).requests
    expect(append).toMatchObject({
      method: 'POST',
      path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1!A:C:append`,
      query: { valueInputOption: 'USER_ENTERED', insertDataOption: 'INSERT_ROWS' },
      body: {
        majorDimension: 'ROWS',
        values: [
          ['Ada', 'ada@example.com', '3'],
          ['Bob', 'bob@example.com', 4],
        ],
      },
    })
    expect(append!.headers.authorization).toMatch(/^Bearer ya29\.fake-/)
  })

  it('appends one row given as a flat array, RAW when asked', async () => {
    const { credential, sheets } = await serviceAccount()
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId: sheetId(),
      range: 'Sheet1',
      values: ['only', 'row'],
      valueInputOption: 'RAW',
    })
    const [append] = (await sheets.received()).requests
    expect(append).toMatchObject({
      query: { valueInputOption: 'RAW' },
      body: { values: [['only', 'row']] },
    })
  })

  it('maps objects onto the header row, in its order', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId('with-header')
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1!A:C',
      values: [
        { Email: 'ada@example.com', Name: 'Ada' },
        { Plan: 'pro', Name: 'Bob', Email: 'bob@example.com' },
      ],
    })
    const [header, append] = (await sheets.received()).requests
    expect(header).toMatchObject({
      method: 'GET',
      path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1!1:1`,
    })
    expect(append!.body).toEqual({
      majorDimension: 'ROWS',
      values: [
        ['Ada', 'ada@example.com', ''],
        ['Bob', 'bob@example.com', 'pro'],
      ],
    })
  })

  it('refuses an object key that is not a column', async () => {
    const { credential } = await serviceAccount()
    const error = await nodeFailure(googleSheetsAppend, {
      credential,
      spreadsheetId: sheetId('with-header'),
      range: 'Sheet1',
      values: { Name: 'Ada', Phone: '1' },
    })
    expect(error).toMatchObject({ code: 'SHEET_COLUMN_UNKNOWN', retryable: false })
    expect(error.message).toContain('Phone')
  })

  it('reuses the access token until shortly before it expires', async () => {
    const { credential, tokenHost } = await serviceAccount()
    const config = { credential, spreadsheetId: sheetId(), range: 'Sheet1', values: ['a'] }
    await runNode(googleSheetsAppend, config)
    await runNode(googleSheetsAppend, config)
    const tokens = (await tokenHost.received()).requests.filter((r) => r.path === '/token')
    expect(tokens).toHaveLength(1)
  })

  it("fails for good when the sheet is not shared with the service account, with Google's message", async () => {
    const { credential } = await serviceAccount()
    const error = await nodeFailure(googleSheetsAppend, {
      credential,
      spreadsheetId: 'not-shared',
      range: 'Sheet1',
      values: ['a'],
    })
    expect(error).toMatchObject({ code: 'GOOGLE_SHEETS_ERROR', retryable: false })
    expect(error.message).toBe('Google Sheets 403: The caller does not have permission')
  })

  it('is retryable on a 429 after Retry-After', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId()
    await sheets.program([
      {
        path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1:append`,
        responses: [
          {
            status: 429,
            headers: { 'retry-after': '11' },
            body: {
              error: {
                code: 429,
                message:
                  "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'",
                status: 'RESOURCE_EXHAUSTED',
              },
            },
          },
        ],
      },
    ])
    const error = await nodeFailure(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      values: ['a'],
    })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 11_000 })
    expect(error.message).toMatch(/^Google Sheets 429: Quota exceeded/)
  })

  it('fails when the token endpoint refuses the JWT (a key Google does not know)', async () => {
    const { keyFile } = await serviceAccount()
    const other = await serviceAccount()
    // The first account's email with the second account's key: the signature does not verify.
    const credential = await createCredential(
      'google-service-account',
      { ...keyFile, private_key: other.keyFile.private_key },
      { baseUrl: fakeApp('sheets').base },
    )
    const error = await nodeFailure(googleSheetsAppend, {
      credential,
      spreadsheetId: sheetId(),
      range: 'Sheet1',
      values: ['a'],
    })
    expect(error).toMatchObject({ code: 'GOOGLE_ERROR', retryable: false })
    expect(error.message).toBe('Google 400: Invalid JWT Signature.')
  })
})

describe('google-sheets-read', () => {
  it('reads a range as objects keyed by the header row', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId('with-header')
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      values: [{ Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' }, { Name: 'Bob' }],
    })
    const output = await runNode(googleSheetsRead, {
      credential,
      spreadsheetId,
      range: 'Sheet1!A1:C',
    })
    expect(output).toEqual({
      range: expect.stringMatching(/^Sheet1!/),
      rows: [
        { Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' },
        { Name: 'Bob', Email: '', Plan: '' },
      ],
    })
    const read = (await sheets.received()).requests.at(-1)!
    expect(read).toMatchObject({
      method: 'GET',
      path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1!A1:C`,
    })
  })

  it('reads rows as arrays, and an empty range as no rows', async () => {
    const { credential } = await serviceAccount()
    const spreadsheetId = sheetId('with-header')
    const rows = await runNode(googleSheetsRead, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      as: 'rows',
    })
    expect(rows).toMatchObject({ rows: [['Name', 'Email', 'Plan']] })
    const empty = await runNode(googleSheetsRead, {
      credential,
      spreadsheetId: sheetId(),
      range: 'Sheet1',
    })
    expect(empty).toMatchObject({ rows: [] })
  })
})
