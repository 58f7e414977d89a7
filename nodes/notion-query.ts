import { z } from 'zod'
import { notion, notionCall, notionClient, wholePage } from '../src/clients/notion'
import { type NotionPage, simplePage } from '../src/clients/notion-properties'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'notion-query',
  title: 'Notion: query a data source',
  description:
    "Queries a Notion data source with Notion's filter and sorts, following pages up to limit. " +
    'Simple mode returns each page as plain values; raw mode returns Notion page objects. ' +
    'Relations, people and mentions beyond the 25 a page object carries are read in full.',
  sample: {
    config: {
      credential: 'team-notion',
      dataSourceId: '248104cd-477e-80af-bc30-000bc0sample',
      filter: { property: 'Done', checkbox: { equals: false } },
      limit: 10,
    },
    input: {},
  },
  service: notion,
  config: z.object({
    dataSourceId: z.string().min(1).describe('The data source to query'),
    filter: z.record(z.string(), z.unknown()).optional().describe("Notion's filter object"),
    sorts: z.array(z.record(z.string(), z.unknown())).optional().describe("Notion's sorts"),
    limit: z.number().int().min(1).max(1000).default(100).describe('Most pages returned'),
    mode: z.enum(['simple', 'raw']).default('simple'),
  }),
  async run(_input, ctx) {
    const { config } = ctx
    const notion = notionClient(await ctx.credential(), ctx.signal)
    const pages: NotionPage[] = []
    let cursor: string | undefined
    let hasMore = true
    while (hasMore && pages.length < config.limit) {
      const answer = await notionCall(() =>
        notion.dataSources.query({
          data_source_id: config.dataSourceId,
          ...(config.filter ? { filter: config.filter as never } : {}),
          ...(config.sorts ? { sorts: config.sorts as never } : {}),
          page_size: Math.min(100, config.limit - pages.length),
          ...(cursor ? { start_cursor: cursor } : {}),
          // A wiki's data source also holds data sources; "use the result_type filter of page"
          // (https://developers.notion.com/reference/query-a-data-source). Checked below too.
          result_type: 'page',
        }),
      )
      const found = (answer.results as NotionPage[]).filter((result) => result.object === 'page')
      for (const page of found) pages.push(await wholePage(notion, page))
      cursor = answer.next_cursor ?? undefined
      hasMore = answer.has_more && cursor !== undefined
    }
    const results = pages.slice(0, config.limit)
    return {
      results: config.mode === 'raw' ? results : results.map(simplePage),
      hasMore,
      nextCursor: hasMore ? (cursor ?? null) : null,
    }
  },
})
