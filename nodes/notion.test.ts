import { describe, expect, it } from 'vitest'
import type { AutomateError } from '../src/errors'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import notionCreatePage from './notion-create-page'
import notionQuery from './notion-query'

async function notion(token = 'ntn_test_secret') {
  const api = fakeApp('notion')
  const credential = await createCredential('notion', { token }, { baseUrl: api.base })
  return { api, credential }
}

const dataSourceId = () => crypto.randomUUID()

describe('notion-create-page', () => {
  it("reads the data source's schema and maps plain values onto each property type", async () => {
    const { api, credential } = await notion()
    const id = dataSourceId()
    const output = await runNode(notionCreatePage, {
      credential,
      dataSourceId: id,
      properties: {
        Name: 'Ada Lovelace',
        Notes: 'x'.repeat(2500),
        Count: '42',
        Stage: 'Lead',
        Tags: 'vip, beta',
        Status: 'In progress',
        Due: '2026-12-01',
        Done: false,
        Link: 'https://example.com',
        Email: 'ada@example.com',
        Phone: '+44 20 7946 0000',
        Owner: ['user-1'],
        Related: ['page-1', 'page-2'],
      },
    })
    expect(output).toEqual({
      id: expect.any(String),
      url: expect.stringContaining('notion.so'),
      createdTime: expect.any(String),
    })
    const [schema, create] = (await api.received()).requests
    expect(schema).toMatchObject({ method: 'GET', path: `/v1/data_sources/${id}` })
    expect(create).toMatchObject({ method: 'POST', path: '/v1/pages' })
    for (const request of [schema, create]) {
      expect(request!.headers.authorization).toBe('Bearer ntn_test_secret')
      expect(request!.headers['notion-version']).toBe('2025-09-03')
    }
    expect(create!.body).toEqual({
      parent: { type: 'data_source_id', data_source_id: id },
      properties: {
        Name: { title: [{ type: 'text', text: { content: 'Ada Lovelace' } }] },
        Notes: {
          rich_text: [
            { type: 'text', text: { content: 'x'.repeat(2000) } },
            { type: 'text', text: { content: 'x'.repeat(500) } },
          ],
        },
        Count: { number: 42 },
        Stage: { select: { name: 'Lead' } },
        Tags: { multi_select: [{ name: 'vip' }, { name: 'beta' }] },
        Status: { status: { name: 'In progress' } },
        Due: { date: { start: '2026-12-01' } },
        Done: { checkbox: false },
        Link: { url: 'https://example.com' },
        Email: { email: 'ada@example.com' },
        Phone: { phone_number: '+44 20 7946 0000' },
        Owner: { people: [{ id: 'user-1' }] },
        Related: { relation: [{ id: 'page-1' }, { id: 'page-2' }] },
      },
    })
  })

  it("passes Notion's own property objects through in raw mode, without reading the schema", async () => {
    const { api, credential } = await notion()
    const properties = { Name: { title: [{ text: { content: 'Raw' } }] } }
    await runNode(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      properties,
      mode: 'raw',
    })
    const requests = (await api.received()).requests
    expect(requests).toHaveLength(1)
    expect(requests[0]!.body).toMatchObject({ properties })
  })

  it('creates a sub-page under a page with its title', async () => {
    const { api, credential } = await notion()
    await runNode(notionCreatePage, {
      credential,
      pageId: 'page-parent-1',
      properties: { title: 'Minutes' },
    })
    const [create] = (await api.received()).requests
    expect(create!.body).toEqual({
      parent: { type: 'page_id', page_id: 'page-parent-1' },
      properties: { title: { title: [{ type: 'text', text: { content: 'Minutes' } }] } },
    })
  })

  it('names an unknown property and the ones the data source has', async () => {
    const { credential } = await notion()
    const error = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      properties: { Nmae: 'typo' },
    })
    expect(error).toMatchObject({ code: 'NOTION_PROPERTY_UNKNOWN', retryable: false })
    expect(error.message).toContain('Nmae')
    expect(error.message).toContain('Name, Notes')
  })

  it("fails for good with Notion's message when the data source is not shared", async () => {
    const { credential } = await notion()
    const error = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: 'missing',
      properties: { Name: 'x' },
    })
    expect(error).toMatchObject({
      code: 'NOTION_ERROR',
      retryable: false,
      details: { status: 404, code: 'object_not_found' },
    })
    expect(error.message).toMatch(/^Notion 404: Could not find data_source with ID: missing/)
  })

  it("fails a Notion validation error with Notion's message (raw mode)", async () => {
    const { credential } = await notion()
    const error = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      mode: 'raw',
      properties: { Count: { rich_text: [] } },
    })
    expect(error.message).toBe('Notion 400: Count is expected to be number.')
  })

  it('is retryable on a 429 after Retry-After', async () => {
    const { api, credential } = await notion()
    await api.program([
      {
        path: '/v1/pages',
        responses: [
          {
            status: 429,
            headers: { 'retry-after': '3' },
            body: {
              object: 'error',
              status: 429,
              code: 'rate_limited',
              message: 'You have been rate limited. Please try again in a few minutes.',
            },
          },
        ],
      },
    ])
    const error = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      mode: 'raw',
      properties: {},
    })
    expect(error).toMatchObject({ code: 'NOTION_ERROR', retryable: true, retryAfterMs: 3000 })
  })

  it('fails for good with a bad token', async () => {
    const { credential } = await notion('ntn_invalid')
    const error = await nodeFailure(notionCreatePage, {
      credential,
      pageId: 'p',
      properties: { title: 'x' },
    })
    expect(error.message).toBe('Notion 401: API token is invalid.')
    expect(error.retryable).toBe(false)
  })

  it('cuts long text between code points, so an emoji at a 2,000 boundary stays whole', async () => {
    const { api, credential } = await notion()
    await runNode(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      properties: { Notes: `${'x'.repeat(1999)}😀y` },
    })
    const create = (await api.received()).requests.at(-1)!
    expect(create.body).toMatchObject({
      properties: {
        Notes: {
          rich_text: [
            { type: 'text', text: { content: 'x'.repeat(1999) } },
            { type: 'text', text: { content: '😀y' } },
          ],
        },
      },
    })
  })

  it('refuses, before calling Notion, text of more than 100 pieces and lists of more than 100', async () => {
    const { api, credential } = await notion()
    const id = dataSourceId()
    const long = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: id,
      properties: { Notes: 'x'.repeat(200_001) },
    })
    expect(long).toMatchObject({
      code: 'NOTION_PROPERTY_INVALID',
      retryable: false,
      details: { property: 'Notes', length: 200_001 },
    })
    expect(long.message).toContain('at most 100 pieces of 2000')
    const many = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: id,
      properties: { Related: Array.from({ length: 101 }, (_, i) => `page-${i}`) },
    })
    expect(many).toMatchObject({ code: 'NOTION_PROPERTY_INVALID', details: { count: 101 } })
    const paths = (await api.received()).requests.map((r) => r.path)
    expect(paths).toEqual([`/v1/data_sources/${id}`])
  })

  it("refuses what Notion's size limits refuse, in raw mode, with Notion's message", async () => {
    const { credential } = await notion()
    const error = await nodeFailure(notionCreatePage, {
      credential,
      dataSourceId: dataSourceId(),
      mode: 'raw',
      properties: { Notes: { rich_text: [{ text: { content: 'x'.repeat(2001) } }] } },
    })
    expect(error.message).toBe(
      'Notion 400: body failed validation: body.properties.Notes.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.',
    )
  })

  it("reads a data source's schema once for pages created close together", async () => {
    const { api, credential } = await notion()
    const id = dataSourceId()
    await runNode(notionCreatePage, { credential, dataSourceId: id, properties: { Name: 'A' } })
    await runNode(notionCreatePage, { credential, dataSourceId: id, properties: { Count: 2 } })
    // A name the cached schema lacks may be a property added since: the schema is read again.
    await nodeFailure(notionCreatePage, { credential, dataSourceId: id, properties: { New: 1 } })
    const requests = (await api.received()).requests.map((r) => `${r.method} ${r.path}`)
    expect(requests).toEqual([
      `GET /v1/data_sources/${id}`,
      'POST /v1/pages',
      'POST /v1/pages',
      `GET /v1/data_sources/${id}`,
    ])
  })

  it('is retryable on 409 conflict_error, which Notion says to try again', async () => {
    const { credential } = await notion()
    const config = { credential, dataSourceId: `busy-${dataSourceId()}`, properties: { Name: 'A' } }
    const error = await nodeFailure(notionCreatePage, config)
    expect(error).toMatchObject({
      code: 'NOTION_ERROR',
      retryable: true,
      details: { status: 409, code: 'conflict_error' },
    })
    expect(await runNode(notionCreatePage, config)).toMatchObject({ id: expect.any(String) })
  })

  it('wants exactly one of dataSourceId and pageId', () => {
    for (const config of [{}, { dataSourceId: 'a', pageId: 'b' }]) {
      const parsed = notionCreatePage.config.safeParse({
        credential: 'n',
        properties: {},
        ...config,
      })
      expect(parsed.error!.issues.map((i) => i.path)).toEqual([['dataSourceId']])
    }
  })
})

describe('notion-query', () => {
  it('queries the data source with filter and sorts, and returns plain values', async () => {
    const { api, credential } = await notion()
    const id = dataSourceId()
    const filter = { property: 'Done', checkbox: { equals: false } }
    const sorts = [{ property: 'Count', direction: 'ascending' }]
    const output = (await runNode(notionQuery, {
      credential,
      dataSourceId: id,
      filter,
      sorts,
    })) as {
      results: { properties: Record<string, unknown> }[]
      hasMore: boolean
    }
    const [query] = (await api.received()).requests
    expect(query).toMatchObject({
      method: 'POST',
      path: `/v1/data_sources/${id}/query`,
      body: { filter, sorts, page_size: 100, result_type: 'page' },
    })
    expect(query!.headers['notion-version']).toBe('2025-09-03')
    expect(output.hasMore).toBe(false)
    expect(output.results.map((r) => r.properties)).toEqual([
      { Name: 'Seeded 1', Count: 1, Done: false },
      { Name: 'Seeded 2', Count: 2, Done: true },
      { Name: 'Seeded 3', Count: 3, Done: false },
    ])
  })

  it('follows next_cursor up to the limit', async () => {
    const { api, credential } = await notion()
    const id = dataSourceId()
    const output = (await runNode(notionQuery, { credential, dataSourceId: id, limit: 2 })) as {
      results: unknown[]
      hasMore: boolean
      nextCursor: string | null
    }
    expect(output.results).toHaveLength(2)
    expect(output.hasMore).toBe(true)
    expect(output.nextCursor).toEqual(expect.any(String))
    const [first] = (await api.received()).requests
    expect(first!.body).toEqual({ page_size: 2, result_type: 'page' })
  })

  it('pages through with start_cursor until the limit', async () => {
    const { api, credential } = await notion()
    const id = `many-${dataSourceId()}`
    const output = (await runNode(notionQuery, {
      credential,
      dataSourceId: id,
      limit: 150,
      mode: 'raw',
    })) as {
      results: { object: string; id: string }[]
      hasMore: boolean
    }
    expect(output.results).toHaveLength(120)
    expect(output.results[0]!.object).toBe('page')
    expect(output.hasMore).toBe(false)
    const queries = (await api.received()).requests.filter((r) => r.path.endsWith('/query'))
    expect(queries.map((q) => q.body)).toEqual([
      { page_size: 100, result_type: 'page' },
      { page_size: 50, start_cursor: output.results[100]!.id, result_type: 'page' },
    ])
  })

  it('reads relations, people and mentions beyond the 25 a page object carries', async () => {
    const { api, credential } = await notion()
    const id = `linked-${dataSourceId()}`
    const output = (await runNode(notionQuery, { credential, dataSourceId: id })) as {
      results: { id: string; properties: Record<string, unknown> }[]
    }
    const [page] = output.results
    const { Related, Owner, Notes } = page!.properties as {
      Related: string[]
      Owner: string[]
      Notes: string
    }
    expect(Related).toHaveLength(130)
    expect(new Set(Related).size).toBe(130)
    expect(Owner).toHaveLength(30)
    expect(Notes.match(/Untitled/g)).toHaveLength(30)
    const requests = (await api.received()).requests.slice(1)
    const path = (property: string) => `/v1/pages/${page!.id}/properties/${property}`
    expect(requests.map((r) => ({ method: r.method, path: r.path, query: r.query }))).toEqual([
      { method: 'GET', path: path('p12'), query: { page_size: '100' } },
      { method: 'GET', path: path('p12'), query: { page_size: '100', start_cursor: 'cursor-100' } },
      { method: 'GET', path: path('p11'), query: { page_size: '100' } },
      { method: 'GET', path: path('p1'), query: { page_size: '100' } },
    ])
  })

  it('asks for pages only, and keeps data sources out of the results', async () => {
    const { api, credential } = await notion()
    const output = (await runNode(notionQuery, {
      credential,
      dataSourceId: `wiki-${dataSourceId()}`,
      mode: 'raw',
    })) as { results: { object: string }[] }
    expect(output.results.map((r) => r.object)).toEqual(['page', 'page', 'page'])
    const [query] = (await api.received()).requests
    expect(query!.body).toEqual({ page_size: 100, result_type: 'page' })
  })

  it("is retryable after Notion's Retry-After once past its rate limit", async () => {
    const { credential } = await notion()
    const config = { credential, dataSourceId: dataSourceId() }
    let error: AutomateError | undefined
    // About three requests a second with short bursts: calls in a row soon meet a 429.
    for (let i = 0; i < 200 && !error; i++) {
      try {
        await runNode(notionQuery, config)
      } catch (thrown) {
        error = thrown as AutomateError
      }
    }
    expect(error).toMatchObject({
      code: 'NOTION_ERROR',
      retryable: true,
      details: { status: 429, code: 'rate_limited' },
    })
    expect(error!.retryAfterMs).toBeGreaterThan(0)
    expect(error!.retryAfterMs! % 1000).toBe(0)
  })
})
