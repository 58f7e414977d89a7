import { z } from 'zod'
import { google, sheetsCall, valuesPath } from '../src/clients/google'
import { AutomateError, defineNode } from '../src/nodes/node-api'

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()])
const record = z.record(z.string(), z.unknown())

export default defineNode({
  type: 'google-sheets-append',
  title: 'Google Sheets: append rows',
  description:
    'Appends rows after the last row of a sheet. values is one row (an array), rows (an array of ' +
    'arrays), or objects whose keys are matched to the sheet header row.',
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
    range: z.string().min(1).describe('The sheet (tab) to append to, e.g. Sheet1 or Sheet1!A:D'),
    values: z
      .union([z.array(cell), z.array(z.array(cell)), record, z.array(record)])
      .describe('A row, rows, an object or objects (keys matched to the header row)'),
    valueInputOption: z
      .enum(['USER_ENTERED', 'RAW'])
      .default('USER_ENTERED')
      .describe('USER_ENTERED parses "3" as a number and "=A1" as a formula, as typing would'),
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

async function headerRow(
  credential: Parameters<typeof sheetsCall>[0],
  spreadsheetId: string,
  range: string,
  signal: AbortSignal,
) {
  const bang = range.lastIndexOf('!')
  const sheet = bang === -1 ? range : range.slice(0, bang)
  const answer = (await sheetsCall(credential, {
    method: 'GET',
    path: valuesPath(spreadsheetId, `${sheet}!1:1`),
    signal,
  })) as { values?: unknown[][] }
  const header = (answer.values?.[0] ?? []).map((name) => String(name).trim())
  if (header.length === 0) {
    throw new AutomateError(
      'SHEET_HEADER_MISSING',
      `Row 1 of ${sheet} is empty: objects are matched to the header row, so give it one, or pass values as arrays`,
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
