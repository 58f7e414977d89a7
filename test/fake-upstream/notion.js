// Notion API, version 2025-09-03 (https://developers.notion.com/reference): the calls our nodes
// make, checked as Notion checks them, with Notion's error shape
// { object: "error", status, code, message, request_id }.
//
//   GET  /v1/data_sources/{id}          the data source and its property schema
//   POST /v1/data_sources/{id}/query    filter, sorts, start_cursor, page_size (at most 100)
//   POST /v1/pages                      parent { data_source_id } or { page_id }, properties
//
// Every data source has the schema below; "missing" is not shared with the integration. Pages
// created in one are returned by its queries, after 3 seeded ones. State is per host.
import { bearerOf, json } from './reply.js'

export const NOTION_VERSION = '2025-09-03'

const SCHEMA = {
  Name: 'title',
  Notes: 'rich_text',
  Count: 'number',
  Stage: 'select',
  Tags: 'multi_select',
  Status: 'status',
  Due: 'date',
  Done: 'checkbox',
  Link: 'url',
  Email: 'email',
  Phone: 'phone_number',
  Owner: 'people',
  Related: 'relation',
}

const stores = new Map()

const error = (status, code, message) =>
  json(status, { object: 'error', status, code, message, request_id: crypto.randomUUID() })

export function notion(request, url) {
  const token = bearerOf(request)
  if (!token || token.includes('invalid'))
    return error(401, 'unauthorized', 'API token is invalid.')
  const version = request.headers['notion-version']
  if (!version)
    return error(
      400,
      'missing_version',
      'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
    )
  if (version !== NOTION_VERSION)
    return error(
      400,
      'validation_error',
      `This fake speaks Notion-Version ${NOTION_VERSION}, not ${version}.`,
    )
  const store = storeOf(url.host)
  let match = /^\/v1\/data_sources\/([^/]+)$/.exec(request.path)
  if (match && request.method === 'GET') return dataSource(match[1])
  match = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(request.path)
  if (match && request.method === 'POST') return query(store, match[1], request.body ?? {})
  if (request.path === '/v1/pages' && request.method === 'POST')
    return createPage(store, request.body ?? {})
  return error(400, 'invalid_request_url', 'Invalid request URL.')
}

function storeOf(host) {
  if (!stores.has(host)) stores.set(host, new Map())
  return stores.get(host)
}

function notShared(id) {
  return error(
    404,
    'object_not_found',
    `Could not find data_source with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  )
}

function dataSource(id) {
  if (id === 'missing') return notShared(id)
  const properties = Object.fromEntries(
    Object.entries(SCHEMA).map(([name, type], i) => [
      name,
      { id: `p${i}`, name, type, [type]: {} },
    ]),
  )
  return json(200, {
    object: 'data_source',
    id,
    title: [{ type: 'text', plain_text: 'Tasks' }],
    properties,
  })
}

function pagesOf(store, id) {
  // Three seeded pages; a data source whose id starts with "many" has 120, to page through.
  const count = id.startsWith('many') ? 120 : 3
  if (!store.has(id))
    store.set(
      id,
      Array.from({ length: count }, (_, i) => i + 1).map((n) =>
        page(
          { type: 'data_source_id', data_source_id: id },
          {
            Name: {
              title: [
                { type: 'text', text: { content: `Seeded ${n}` }, plain_text: `Seeded ${n}` },
              ],
            },
            Count: { number: n },
            Done: { checkbox: n === 2 },
          },
        ),
      ),
    )
  return store.get(id)
}

function query(store, id, body) {
  if (id === 'missing') return notShared(id)
  if (
    body.page_size !== undefined &&
    (!Number.isInteger(body.page_size) || body.page_size < 1 || body.page_size > 100)
  )
    return error(
      400,
      'validation_error',
      'body failed validation: body.page_size should be ≤ `100`, instead was `' +
        body.page_size +
        '`.',
    )
  const pages = pagesOf(store, id)
  const start = body.start_cursor ? pages.findIndex((p) => p.id === body.start_cursor) : 0
  if (start === -1)
    return error(
      400,
      'validation_error',
      'body failed validation: body.start_cursor should be a valid uuid.',
    )
  const size = body.page_size ?? 100
  const results = pages.slice(start, start + size)
  const next = pages[start + size]
  return json(200, {
    object: 'list',
    results,
    next_cursor: next ? next.id : null,
    has_more: Boolean(next),
    type: 'page_or_data_source',
    page_or_data_source: {},
  })
}

function createPage(store, body) {
  const parent = body.parent ?? {}
  if (parent.data_source_id) {
    if (parent.data_source_id === 'missing') return notShared(parent.data_source_id)
    for (const [name, value] of Object.entries(body.properties ?? {})) {
      const type = SCHEMA[name]
      if (!type) return error(400, 'validation_error', `${name} is not a property that exists.`)
      const keys = Object.keys(value ?? {}).filter((k) => k !== 'type' && k !== 'id')
      if (keys.length !== 1 || keys[0] !== type)
        return error(400, 'validation_error', `${name} is expected to be ${type}.`)
    }
    const created = page(
      { type: 'data_source_id', data_source_id: parent.data_source_id },
      body.properties ?? {},
    )
    pagesOf(store, parent.data_source_id).push(created)
    return json(200, created)
  }
  if (parent.page_id) {
    const names = Object.keys(body.properties ?? {})
    if (names.some((n) => n !== 'title'))
      return error(
        400,
        'validation_error',
        'Invalid property identifier: only title is allowed for a page parent.',
      )
    return json(200, page({ type: 'page_id', page_id: parent.page_id }, body.properties ?? {}))
  }
  return error(
    400,
    'validation_error',
    'body failed validation. Fix one: body.parent.page_id should be defined, instead was `undefined`. body.parent.data_source_id should be defined, instead was `undefined`.',
  )
}

function page(parent, properties) {
  const id = crypto.randomUUID()
  const now = new Date().toISOString()
  return {
    object: 'page',
    id,
    created_time: now,
    last_edited_time: now,
    in_trash: false,
    parent,
    url: `https://www.notion.so/${id.replace(/-/g, '')}`,
    // As Notion answers: each property value names its type (and has an id).
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, value], i) => {
        const type = Object.keys(value ?? {}).find((k) => k !== 'id' && k !== 'type')
        return [name, { id: `p${i}`, type, ...value }]
      }),
    ),
  }
}
