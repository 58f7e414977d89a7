import { z } from 'zod'
import {
  dataSourceProperties,
  forgetDataSourceSchema,
  notion,
  notionCall,
  notionClient,
} from '../src/clients/notion'
import { titleProperty } from '../src/clients/notion-properties'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'notion-create-page',
  title: 'Notion: create a page',
  description:
    'Creates a page in a Notion data source (a database row) or under a page. In simple mode, ' +
    "properties are plain values mapped by the data source's property types; in raw mode, " +
    "Notion's own property objects.",
  sample: {
    config: {
      credential: 'team-notion',
      dataSourceId: '248104cd-477e-80af-bc30-000bc0sample',
      properties: { Name: 'Ada Lovelace', Email: 'ada@example.com', Tags: ['vip'] },
    },
    input: {},
  },
  service: notion,
  config: z
    .object({
      dataSourceId: z.string().min(1).optional().describe('The data source to add a page to'),
      pageId: z.string().min(1).optional().describe('Or the page to create a sub-page under'),
      properties: z
        .record(z.string(), z.unknown())
        .describe('Simple: { "Name": "Ada", "Tags": ["vip"] }; raw: Notion property objects'),
      mode: z.enum(['simple', 'raw']).default('simple'),
      children: z
        .array(z.record(z.string(), z.unknown()))
        .max(100)
        .optional()
        .describe('The page content: Notion block objects'),
    })
    .refine((c) => Boolean(c.dataSourceId) !== Boolean(c.pageId), {
      message: 'give dataSourceId or pageId (one of them)',
      path: ['dataSourceId'],
    }),
  async run(_input, ctx) {
    const { config } = ctx
    const credential = await ctx.credential()
    const notion = notionClient(credential, ctx.signal)
    let properties: Record<string, unknown> = config.properties
    if (config.mode === 'simple') {
      properties = config.dataSourceId
        ? await dataSourceProperties(notion, credential, config.dataSourceId, config.properties)
        : titleProperty(config.properties)
    }
    const parent = config.dataSourceId
      ? { type: 'data_source_id' as const, data_source_id: config.dataSourceId }
      : { type: 'page_id' as const, page_id: config.pageId! }
    const page = (await notionCall(() =>
      notion.pages.create({
        parent,
        properties: properties as never,
        ...(config.children ? { children: config.children as never } : {}),
      }),
    ).catch(async (error) => {
      // A property's type may have changed since the schema was cached: read it again next time.
      if (config.dataSourceId && error.details?.code === 'validation_error')
        await forgetDataSourceSchema(credential, config.dataSourceId)
      throw error
    })) as { id: string; url?: string; created_time?: string }
    return { id: page.id, url: page.url ?? null, createdTime: page.created_time ?? null }
  },
})
