import { z } from 'zod'
import { notion, notionCall, notionClient, wholePage } from '../src/clients/notion'
import { type NotionPage, simplePage } from '../src/clients/notion-properties'
import { credentialName, definePollTrigger } from '../src/triggers/trigger-api'

/**
 * Pages are new when edited at or after `since`; `seen` holds the page@time ids already started
 * at exactly `since`. Notion rounds last_edited_time down to the minute
 * (https://developers.notion.com/changelog/last-edited-time-is-now-rounded-to-the-nearest-minute),
 * so a page edited later in the same minute looks no newer than one already started: the filter
 * is `on_or_after`, and `seen` keeps those from starting twice.
 */
type Cursor = { since: string; seen: string[] }

const editId = (page: NotionPage) => `${page.id}@${page.last_edited_time ?? ''}`

export default definePollTrigger({
  type: 'notion-changed-pages',
  title: 'Notion: changed pages',
  description:
    'Starts a run for each page of a data source created or edited since the last poll (Notion ' +
    'API 2025-09-03), oldest edit first, as notion-query returns it in simple mode. A page ' +
    'edited again later starts another run; the optional filter (Notion filter object) narrows ' +
    'which pages count.',
  service: notion,
  sample: {
    config: { credential: 'team-notion', dataSourceId: '248104cd-477e-80af-bc30-000bc0sample' },
  },
  config: z.object({
    credential: credentialName().describe('A notion credential'),
    dataSourceId: z.string().min(1).describe('The data source to watch'),
    filter: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Notion's filter object, e.g. a Status that equals Done"),
  }),
  async poll(ctx) {
    const { config } = ctx
    const client = notionClient(await ctx.credential(), ctx.signal)
    const cursor = ctx.cursor as Cursor | null
    const query = (
      since: string | undefined,
      direction: 'ascending' | 'descending',
      start?: string,
    ) => {
      // https://developers.notion.com/reference/filter-data-source-entries#timestamp
      const edited = since
        ? [{ timestamp: 'last_edited_time', last_edited_time: { on_or_after: since } }]
        : []
      const filters = [...edited, ...(config.filter ? [config.filter] : [])]
      return notionCall(() =>
        client.dataSources.query({
          data_source_id: config.dataSourceId,
          ...(filters.length === 1 ? { filter: filters[0] as never } : {}),
          ...(filters.length > 1 ? { filter: { and: filters } as never } : {}),
          sorts: [{ timestamp: 'last_edited_time', direction }],
          page_size: 100,
          ...(start ? { start_cursor: start } : {}),
          result_type: 'page',
        }),
      )
    }
    if (ctx.baselineOnly) {
      // The latest edit, and every page edited in that same minute, are "already seen".
      const answer = await query(undefined, 'descending')
      const pages = (answer.results as NotionPage[]).filter((page) => page.object === 'page')
      const latest = pages[0]?.last_edited_time
      const since = latest ?? new Date(Math.floor(ctx.now / 60_000) * 60_000).toISOString()
      const seen = pages.filter((page) => page.last_edited_time === latest).map(editId)
      return { items: [], cursorAfter: () => ({ since, seen }) satisfies Cursor }
    }
    const seen = new Set(cursor?.seen ?? [])
    const fresh: NotionPage[] = []
    let start: string | undefined
    do {
      const answer = await query(cursor?.since, 'ascending', start)
      for (const page of answer.results as NotionPage[]) {
        if (page.object === 'page' && !seen.has(editId(page))) fresh.push(page)
      }
      start = answer.has_more ? (answer.next_cursor ?? undefined) : undefined
    } while (start && fresh.length <= ctx.limit)
    // Only the pages this poll starts are read whole (their relations beyond 25).
    const items = []
    for (const [i, page] of fresh.entries()) {
      const whole = i < ctx.limit ? await wholePage(client, page) : page
      items.push({ id: editId(page), item: simplePage(whole) })
    }
    return {
      items,
      cursorAfter(count): Cursor | null {
        if (count === 0) return cursor
        const since = fresh[count - 1]!.last_edited_time!
        const kept = since === cursor?.since ? cursor.seen : []
        const started = fresh.slice(0, count).filter((page) => page.last_edited_time === since)
        return { since, seen: [...kept, ...started.map(editId)] }
      },
    }
  },
})
