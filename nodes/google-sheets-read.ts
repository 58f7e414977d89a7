import { z } from 'zod'
import { google, keyedRows, sheetsCall, valuesPath } from '../src/clients/google'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'google-sheets-read',
  title: 'Google Sheets: read a range',
  description:
    'Reads a range of a sheet, as objects keyed by its first row (the header) or as rows of cells.',
  sample: {
    config: { credential: 'signups-sheet', spreadsheetId: 'with-header-sample', range: 'Sheet1' },
    input: {},
  },
  service: google,
  config: z.object({
    spreadsheetId: z.string().min(1).describe('The id in the sheet URL: /spreadsheets/d/<id>/'),
    range: z.string().min(1).describe('A1 notation, e.g. Sheet1 or Sheet1!A1:D100'),
    as: z
      .enum(['objects', 'rows'])
      .default('objects')
      .describe("objects: one per row after the range's first row, keyed by it; rows: arrays"),
    // https://developers.google.com/sheets/api/reference/rest/v4/ValueRenderOption
    valueRenderOption: z
      .enum(['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'])
      .default('FORMATTED_VALUE')
      .describe(
        'FORMATTED_VALUE: text as the sheet shows it ("$1.23"); UNFORMATTED_VALUE: numbers and booleans as such (1.23); FORMULA: formulas, not their results',
      ),
    // https://developers.google.com/sheets/api/reference/rest/v4/DateTimeRenderOption; Google
    // ignores it under FORMATTED_VALUE and defaults to SERIAL_NUMBER.
    dateTimeRenderOption: z
      .enum(['SERIAL_NUMBER', 'FORMATTED_STRING'])
      .optional()
      .describe(
        'With UNFORMATTED_VALUE or FORMULA: dates as serial numbers (days since 1899-12-30, the default) or as formatted text',
      ),
  }),
  async run(_input, ctx) {
    const { config } = ctx
    const answer = (await sheetsCall(await ctx.credential(), {
      method: 'GET',
      path: valuesPath(config.spreadsheetId, config.range),
      query: {
        valueRenderOption: config.valueRenderOption,
        ...(config.dateTimeRenderOption
          ? { dateTimeRenderOption: config.dateTimeRenderOption }
          : {}),
      },
      signal: ctx.signal,
    })) as { range?: string; values?: unknown[][] }
    const values = answer.values ?? []
    if (config.as === 'rows') return { range: answer.range ?? config.range, rows: values }
    const [header = [], ...rows] = values
    return { range: answer.range ?? config.range, rows: keyedRows(header, rows) }
  },
})
