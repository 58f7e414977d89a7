import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import { serviceAccount } from '../test/google-account'
import googleSheetsAppend from './google-sheets-append'
import googleSheetsRead from './google-sheets-read'

const sheetId = (prefix = 'sheet') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

describe('google-sheets-append', () => {
  it('signs a JWT, exchanges it at token_uri and appends the rows as RAW', async () => {
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
      query: { valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' },
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

  it('appends one row given as a flat array, USER_ENTERED when asked', async () => {
    const { credential, sheets } = await serviceAccount()
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId: sheetId(),
      range: 'Sheet1',
      values: ['only', 'row'],
      valueInputOption: 'USER_ENTERED',
    })
    const [append] = (await sheets.received()).requests
    expect(append).toMatchObject({
      query: { valueInputOption: 'USER_ENTERED' },
      body: { values: [['only', 'row']] },
    })
  })

  // The values a signup form sends that USER_ENTERED would turn into something else.
  const typedLikeAUser = ['+44 20 7946 0000', '00123', '3/4', '=IMPORTXML("https://e.x","//a")']

  it('stores values as sent by default: no #ERROR!, no lost zeros, no dates, no formulas', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId()
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      values: typedLikeAUser,
    })
    const [append] = (await sheets.received()).requests
    expect(append!.query).toEqual({ valueInputOption: 'RAW', insertDataOption: 'INSERT_ROWS' })
    for (const valueRenderOption of ['FORMATTED_VALUE', 'FORMULA']) {
      const read = await runNode(googleSheetsRead, {
        credential,
        spreadsheetId,
        range: 'Sheet1',
        as: 'rows',
        valueRenderOption,
      })
      expect(read).toMatchObject({ rows: [typedLikeAUser] })
    }
  })

  it('parses values as typed with USER_ENTERED, which reads back as Sheets made them', async () => {
    const { credential } = await serviceAccount()
    const spreadsheetId = sheetId()
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      values: typedLikeAUser,
      valueInputOption: 'USER_ENTERED',
    })
    const read = await runNode(googleSheetsRead, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      as: 'rows',
    })
    expect(read).toMatchObject({
      rows: [['#ERROR!', '123', expect.stringMatching(/^3\/4\/\d{4}$/), '#N/A']],
    })
  })

  it("maps objects onto the header of the range's own columns (Sheet1!B:E)", async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId()
    // A table whose header starts in B1.
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1!B:E',
      values: ['Name', 'Email', 'Plan'],
    })
    const output = await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1!B:E',
      values: { Plan: 'pro', Name: 'Ada', Email: 'ada@example.com' },
    })
    expect(output).toEqual({ updatedRange: 'Sheet1!B2:D2', updatedRows: 1, updatedCells: 3 })
    const [, header, append] = (await sheets.received()).requests
    expect(header).toMatchObject({
      method: 'GET',
      path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1!1:1`,
    })
    expect(append).toMatchObject({
      path: `/v4/spreadsheets/${spreadsheetId}/values/Sheet1!B:E:append`,
      body: { majorDimension: 'ROWS', values: [['Ada', 'ada@example.com', 'pro']] },
    })
    const read = await runNode(googleSheetsRead, { credential, spreadsheetId, range: 'Sheet1!B:E' })
    expect(read).toMatchObject({
      rows: [{ Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' }],
    })
  })

  it('reads the header from the first visible sheet when the range names no sheet (A:C)', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId('with-header')
    const output = await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'A:C',
      values: { Name: 'Ada', Plan: 'pro' },
    })
    expect(output).toEqual({ updatedRange: 'Sheet1!A2:C2', updatedRows: 1, updatedCells: 3 })
    const [header, append] = (await sheets.received()).requests
    expect(header!.path).toBe(`/v4/spreadsheets/${spreadsheetId}/values/1:1`)
    expect(append!.path).toBe(`/v4/spreadsheets/${spreadsheetId}/values/A:C:append`)
    expect(append!.body).toEqual({ majorDimension: 'ROWS', values: [['Ada', '', 'pro']] })
  })

  it("fails for good on a sheet the spreadsheet does not have, with Google's message", async () => {
    const { credential } = await serviceAccount()
    const error = await nodeFailure(googleSheetsAppend, {
      credential,
      spreadsheetId: sheetId(),
      range: 'Signups!A:C',
      values: ['Ada'],
    })
    expect(error).toMatchObject({ code: 'GOOGLE_SHEETS_ERROR', retryable: false })
    expect(error.message).toBe('Google Sheets 400: Unable to parse range: Signups!A:C')
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

  it('waits a minute after Google says the per-minute quota is spent (429 without Retry-After)', async () => {
    const { credential, sheets } = await serviceAccount()
    const config = { credential, spreadsheetId: sheetId(), range: 'Sheet1', as: 'rows' }
    // 60 reads a minute per user (https://developers.google.com/sheets/api/limits).
    for (let i = 0; i < 60; i++) await runNode(googleSheetsRead, config)
    const error = await nodeFailure(googleSheetsRead, config)
    expect(error).toMatchObject({
      code: 'GOOGLE_SHEETS_ERROR',
      retryable: true,
      retryAfterMs: 60_000,
    })
    expect(error.message).toMatch(
      /^Google Sheets 429: Quota exceeded for quota metric 'Read requests'/,
    )
    const refused = (await sheets.received()).requests.at(-1)!
    expect(refused.query).toEqual({ valueRenderOption: 'FORMATTED_VALUE' })
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

  it('asks for unformatted values and dates as Google renders them', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = sheetId()
    await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId,
      range: 'Sheet1',
      values: ['00123', '3/4/2026', 'TRUE', '=A1'],
      valueInputOption: 'USER_ENTERED',
    })
    const read = (options: Record<string, string>) =>
      runNode(googleSheetsRead, {
        credential,
        spreadsheetId,
        range: 'Sheet1',
        as: 'rows',
        ...options,
      })
    // 2026-03-04 is day 46085 after 1899-12-30.
    expect(await read({ valueRenderOption: 'UNFORMATTED_VALUE' })).toMatchObject({
      rows: [[123, 46085, true, '#N/A']],
    })
    expect(
      await read({ valueRenderOption: 'FORMULA', dateTimeRenderOption: 'FORMATTED_STRING' }),
    ).toMatchObject({ rows: [[123, '3/4/2026', true, '=A1']] })
    expect(await read({})).toMatchObject({ rows: [['123', '3/4/2026', 'TRUE', '#N/A']] })
    const queries = (await sheets.received()).requests.slice(1).map((r) => r.query)
    expect(queries).toEqual([
      { valueRenderOption: 'UNFORMATTED_VALUE' },
      { valueRenderOption: 'FORMULA', dateTimeRenderOption: 'FORMATTED_STRING' },
      { valueRenderOption: 'FORMATTED_VALUE' },
    ])
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
