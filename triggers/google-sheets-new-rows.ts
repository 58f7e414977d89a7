import { z } from 'zod'
import { a1Range, google, keyedRows, sheetsCall, valuesPath } from '../src/clients/google'
import { credentialName, definePollTrigger } from '../src/triggers/trigger-api'

/** The last sheet row seen, and its key when the trigger has a key column. */
type Cursor = { row: number; key?: string }

export default definePollTrigger({
  type: 'google-sheets-new-rows',
  title: 'Google Sheets: new rows',
  description:
    'Starts a run for each row appended to a sheet range since the last poll, as an object keyed ' +
    "by the range's first row (the header). With keyColumn, rows after the last key seen are new " +
    'even when rows above were deleted.',
  service: google,
  sample: {
    config: { credential: 'signups-sheet', spreadsheetId: 'with-header-sample', range: 'Sheet1' },
  },
  config: z.object({
    credential: credentialName().describe('A google-service-account credential'),
    spreadsheetId: z.string().min(1).describe('The id in the sheet URL: /spreadsheets/d/<id>/'),
    range: z
      .string()
      .min(1)
      .default('Sheet1')
      .describe('A1 notation whose first row is the header, e.g. Sheet1 or Sheet1!A:D'),
    keyColumn: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe("A header whose value identifies a row (an order id); else the row's number"),
  }),
  async poll(ctx) {
    const { config } = ctx
    const answer = (await sheetsCall(await ctx.credential(), {
      method: 'GET',
      path: valuesPath(config.spreadsheetId, config.range),
      signal: ctx.signal,
    })) as { values?: unknown[][] }
    const [header = [], ...rows] = answer.values ?? []
    const firstRow = a1Range(config.range).firstRow
    const objects = keyedRows(header, rows)
    const all = objects.map((item, i) => ({
      row: firstRow + 1 + i,
      item,
      key: config.keyColumn ? String(item[config.keyColumn] ?? '') : undefined,
      blank: (rows[i] ?? []).every((cell) => cell === '' || cell === null || cell === undefined),
    }))
    const cursor = ctx.cursor as Cursor | null
    const lastRow = firstRow + rows.length
    if (ctx.baselineOnly) {
      const last = all.at(-1)
      return { items: [], cursorAfter: () => ({ row: lastRow, key: last?.key }) }
    }
    // Rows after the one holding the last key seen; failing that, after the last row number.
    let after = cursor?.row ?? firstRow
    if (cursor?.key !== undefined) {
      const found = all.filter((entry) => entry.key === cursor.key).at(-1)
      if (found) after = found.row
    }
    const fresh = all.filter((entry) => entry.row > after && !entry.blank)
    return {
      items: fresh.map((entry) => ({ id: entry.key || String(entry.row), item: entry.item })),
      cursorAfter: (count) =>
        count === 0
          ? (cursor ?? { row: after })
          : { row: fresh[count - 1]!.row, key: fresh[count - 1]!.key },
    }
  },
})
