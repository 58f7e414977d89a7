import { z } from 'zod'
import { a1Range, google, sheetsCall, valuesPath } from '../src/clients/google'
import { AutomateError, defineNode } from '../src/nodes/node-api'

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()])
const record = z.record(z.string(), z.unknown())

export default defineNode({
  type: 'google-sheets-append',
  title: 'Google Sheets: append rows',
  description:
    'Appends rows after the last row of the table in a range. values is one row (an array), rows ' +
    "(an array of arrays), or objects whose keys are matched to the header: the range's first row. " +
    'Values are stored as sent (RAW) unless valueInputOption is USER_ENTERED.',
  sample: {
    config: {
      credential: 'signups-sheet',
      spreadsheetId: 'with-header-sample',
      range: 'Sheet1',
      values: { Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' },
    },
    input: {},
  },
  service: google,
  config: z.object({
    spreadsheetId: z.string().min(1).describe('The id in the sheet URL: /spreadsheets/d/<id>/'),
    range: z
      .string()
      .min(1)
      .describe('The sheet (tab) or its columns to append to, e.g. Sheet1 or Sheet1!B:E'),
    values: z
      .union([z.array(cell), z.array(z.array(cell)), record, z.array(record)])
      .describe('A row, rows, an object or objects (keys matched to the header row)'),
    // RAW by default: USER_ENTERED parses values "as if the user typed them into the UI"
    // (https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption), so a phone
    // number "+44 20 …" becomes #ERROR!, "00123" the number 123, "3/4" a date, and a form field
    // "=IMPORTXML(…)" a live formula.
    valueInputOption: z
      .enum(['RAW', 'USER_ENTERED'])
      .default('RAW')
      .describe(
        'RAW (default) stores values as sent; USER_ENTERED parses them as typing would: "3" a number, "3/4" a date, "=A1" a formula',
      ),
  }),
  async run(_input, ctx) {
    const { config, signal } = ctx
    const credential = await ctx.credential()
    const values = config.values as unknown
    let rows: unknown[][]
    if (isObjects(values)) {
      const header = await headerRow(credential, config.spreadsheetId, config.range, signal)
      rows = (Array.isArray(values) ? values : [values]).map((item) => toRow(item, header))
    } else {
      rows = (values as unknown[]).every(Array.isArray)
        ? (values as unknown[][])
        : [values as unknown[]]
    }
    const answer = (await sheetsCall(credential, {
      method: 'POST',
      path: valuesPath(config.spreadsheetId, config.range, ':append'),
      query: { valueInputOption: config.valueInputOption, insertDataOption: 'INSERT_ROWS' },
      json: { majorDimension: 'ROWS', values: rows },
      signal,
    })) as { updates?: { updatedRange?: string; updatedRows?: number; updatedCells?: number } }
    return {
      updatedRange: answer.updates?.updatedRange ?? null,
      updatedRows: answer.updates?.updatedRows ?? 0,
      updatedCells: answer.updates?.updatedCells ?? 0,
    }
  },
})

function isObjects(values: unknown): values is Record<string, unknown> | Record<string, unknown>[] {
  const first = Array.isArray(values) ? values[0] : values
  return typeof first === 'object' && first !== null && !Array.isArray(first)
}

/**
 * The header of the table the rows go to. Sheets appends "starting with the first column of the
 * table" found in the range
 * (https://developers.google.com/sheets/api/reference/rest/v4/spreadsheets.values/append), so
 * the header is the range's first row, from its first column (Sheet1!B:E: B1:E1), without the
 * empty cells before the table starts. The row is read whole ("Sheet1!1:1", or "1:1" on the first
 * visible sheet when the range names none) and cut here, which works for every A1 form.
 */
async function headerRow(
  credential: Parameters<typeof sheetsCall>[0],
  spreadsheetId: string,
  range: string,
  signal: AbortSignal,
) {
  const { sheet, firstRow, firstColumn, lastColumn } = a1Range(range)
  const answer = (await sheetsCall(credential, {
    method: 'GET',
    path: valuesPath(spreadsheetId, `${sheet ? `${sheet}!` : ''}${firstRow}:${firstRow}`),
    signal,
  })) as { values?: unknown[][] }
  const cells = (answer.values?.[0] ?? []).slice(
    firstColumn,
    lastColumn === undefined ? undefined : lastColumn + 1,
  )
  const header = cells.map((name) => String(name ?? '').trim())
  while (header.length && header[0] === '') header.shift()
  if (header.length === 0) {
    throw new AutomateError(
      'SHEET_HEADER_MISSING',
      `The first row of ${range} (row ${firstRow}) is empty: objects are matched to the header row, so give it one, or pass values as arrays`,
      { retryable: false },
    )
  }
  return header
}

function toRow(item: Record<string, unknown>, header: string[]) {
  const unknown = Object.keys(item).filter((key) => !header.includes(key))
  if (unknown.length) {
    throw new AutomateError(
      'SHEET_COLUMN_UNKNOWN',
      `No column named ${unknown.join(', ')} in the header row (${header.join(', ')})`,
      { retryable: false, details: { unknown, header } },
    )
  }
  return header.map((name) => {
    const value = item[name]
    if (value === undefined || value === null) return ''
    return typeof value === 'object' ? JSON.stringify(value) : value
  })
}
