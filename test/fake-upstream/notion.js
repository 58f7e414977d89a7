// Notion API, version 2025-09-03 (https://developers.notion.com/reference): the calls our nodes
// make, checked as Notion checks them, with Notion's error shape
// { object: "error", status, code, message, request_id }.
//
//   GET  /v1/data_sources/{id}                       the data source and its property schema
//   POST /v1/data_sources/{id}/query                 filter, sorts, start_cursor, page_size (at
//                                                    most 100), result_type
//   POST /v1/pages                                   parent { data_source_id } or { page_id },
//                                                    properties, children
//   PATCH /v1/pages/{id}                             properties (of a data source's page)
//   GET  /v1/pages/{id}/properties/{property_id}     one property item, paginated for title,
//                                                    rich_text, relation and people
//
//   POST /__notion/clock { aheadMs }                  test only: moves the fake's clock ahead
//
// Every data source has the schema below; "missing" is not shared with the integration. Pages
// created in one are returned by its queries, after 3 seeded ones ("many…" has 120, "linked…" one
// page with 130 relations, 30 people and 30 mentions, "wiki…" a child data source beside its
// pages). The first page created in a "busy…" data source meets a 409. State is per host.
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
const PROPERTY_IDS = Object.fromEntries(Object.keys(SCHEMA).map((name, i) => [name, `p${i}`]))

const stores = new Map()

const error = (status, code, message, headers) =>
  json(status, { object: 'error', status, code, message, request_id: crypto.randomUUID() }, headers)
const invalid = (message) => error(400, 'validation_error', `body failed validation: ${message}`)

export function notion(request, url, options = {}) {
  // Test only: moves this host's clock (`{ aheadMs }`), so an edit can fall in a later minute
  // than the one before it without the test waiting for the minute to turn.
  if (request.path === '/__notion/clock' && request.method === 'POST') {
    clockAhead = request.body?.aheadMs ?? 0
    return json(200, { ok: true })
  }
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
  const wait = rateLimited(store, token, options.rate)
  if (wait) return wait
  let match = /^\/v1\/data_sources\/([^/]+)$/.exec(request.path)
  if (match && request.method === 'GET') return dataSource(match[1])
  match = /^\/v1\/data_sources\/([^/]+)\/query$/.exec(request.path)
  if (match && request.method === 'POST') return query(store, match[1], request.body ?? {})
  if (request.path === '/v1/pages' && request.method === 'POST')
    return createPage(store, request.body ?? {})
  match = /^\/v1\/pages\/([^/]+)$/.exec(request.path)
  if (match && request.method === 'PATCH') return updatePage(store, match[1], request.body ?? {})
  match = /^\/v1\/pages\/([^/]+)\/properties\/([^/]+)$/.exec(request.path)
  if (match && request.method === 'GET')
    return propertyItem(store, match[1], decodeURIComponent(match[2]), request.query)
  return error(400, 'invalid_request_url', 'Invalid request URL.')
}

function storeOf(host) {
  if (!stores.has(host))
    stores.set(host, { lists: new Map(), pages: new Map(), busy: new Set(), buckets: new Map() })
  return stores.get(host)
}

// "An average of three requests per second. Some bursts beyond the average rate are allowed",
// answered with 429 rate_limited and a Retry-After in whole seconds
// (https://developers.notion.com/reference/request-limits). Notion does not say how large a
// burst; this fake allows 10.
const RATE_PER_SECOND = 3
const BURST = 10

// A test may run the clock faster for its own host (POST /__program { rate }): the same rule, at
// a pace a 500-element forEach can keep without taking minutes.
function rateLimited(store, token, rate) {
  const perSecond = rate?.perSecond ?? RATE_PER_SECOND
  const burst = rate?.burst ?? BURST
  const now = Date.now()
  const bucket = store.buckets.get(token) ?? { tokens: burst, at: now }
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
  bucket.at = now
  store.buckets.set(token, bucket)
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1
    return undefined
  }
  const seconds = Math.ceil((1 - bucket.tokens) / perSecond)
  return error(
    429,
    'rate_limited',
    'You have been rate limited. Please try again in a few minutes.',
    { 'retry-after': String(seconds) },
  )
}

function notShared(id, kind = 'data_source') {
  return error(
    404,
    'object_not_found',
    `Could not find ${kind} with ID: ${id}. Make sure the relevant pages and databases are shared with your integration.`,
  )
}

function dataSource(id) {
  if (id === 'missing') return notShared(id)
  const properties = Object.fromEntries(
    Object.entries(SCHEMA).map(([name, type]) => [
      name,
      { id: PROPERTY_IDS[name], name, type, [type]: {} },
    ]),
  )
  return json(200, {
    object: 'data_source',
    id,
    title: [{ type: 'text', plain_text: 'Tasks' }],
    properties,
  })
}

const text = (content) => ({ type: 'text', text: { content } })

function seeded(id) {
  const parent = { type: 'data_source_id', data_source_id: id }
  if (id.startsWith('linked')) {
    const ids = (n) => Array.from({ length: n }, () => ({ id: crypto.randomUUID() }))
    const mentions = ids(30).flatMap(({ id: page }) => [
      { type: 'mention', mention: { type: 'page', page: { id: page } } },
      text(' '),
    ])
    return [
      record(parent, {
        Name: { title: [text('Linked')] },
        Related: { relation: ids(130) },
        Owner: { people: ids(30).map((user) => ({ object: 'user', ...user })) },
        Notes: { rich_text: mentions },
      }),
    ]
  }
  // Three seeded pages; a data source whose id starts with "many" has 120, to page through.
  const count = id.startsWith('many') ? 120 : 3
  return Array.from({ length: count }, (_, i) => i + 1).map((n) =>
    record(parent, {
      Name: { title: [text(`Seeded ${n}`)] },
      Count: { number: n },
      Done: { checkbox: n === 2 },
    }),
  )
}

function pagesOf(store, id) {
  if (!store.lists.has(id)) {
    const pages = seeded(id)
    store.lists.set(id, pages)
    for (const page of pages) store.pages.set(page.id, page)
  }
  return store.lists.get(id)
}

const RESULT_TYPES = ['page', 'data_source']

function query(store, id, body) {
  if (id === 'missing') return notShared(id)
  if (
    body.page_size !== undefined &&
    (!Number.isInteger(body.page_size) || body.page_size < 1 || body.page_size > 100)
  )
    return invalid(`body.page_size should be ≤ \`100\`, instead was \`${body.page_size}\`.`)
  if (body.result_type !== undefined && !RESULT_TYPES.includes(body.result_type))
    return invalid(
      `body.result_type should be \`"page"\` or \`"data_source"\`, instead was \`${JSON.stringify(body.result_type)}\`.`,
    )
  // A wiki's children may be data sources as well as pages
  // (https://developers.notion.com/reference/query-a-data-source).
  const children = pagesOf(store, id).map(pageObject)
  if (id.startsWith('wiki'))
    children.unshift({ object: 'data_source', id: `${id}-child`, title: [text('Child')] })
  const filterError = body.filter === undefined ? undefined : timestampFilterError(body.filter)
  if (filterError) return invalid(filterError)
  const kept = body.result_type
    ? children.filter((child) => child.object === body.result_type)
    : children
  const results = sorted(
    kept.filter((child) => body.filter === undefined || matches(child, body.filter)),
    body.sorts,
  )
  const start = body.start_cursor ? results.findIndex((p) => p.id === body.start_cursor) : 0
  if (start === -1) return invalid('body.start_cursor should be a valid uuid.')
  const size = body.page_size ?? 100
  const next = results[start + size]
  return json(200, {
    object: 'list',
    results: results.slice(start, start + size),
    next_cursor: next ? next.id : null,
    has_more: Boolean(next),
    type: 'page_or_data_source',
    page_or_data_source: {},
  })
}

// Timestamp filters (https://developers.notion.com/reference/filter-data-source-entries#timestamp):
// `{ timestamp: 'last_edited_time' | 'created_time', <timestamp>: { after | before | on_or_after |
// on_or_before | equals: ISO 8601 } }`, alone or inside `and` / `or`. Property filters are not
// evaluated by this fake (every page matches them), as before.
const TIMESTAMPS = ['last_edited_time', 'created_time']
const TIME_CONDITIONS = ['after', 'before', 'on_or_after', 'on_or_before', 'equals']

function timestampFilterError(filter, path = 'body.filter') {
  for (const compound of ['and', 'or']) {
    if (Array.isArray(filter?.[compound])) {
      for (const [i, inner] of filter[compound].entries()) {
        const found = timestampFilterError(inner, `${path}.${compound}[${i}]`)
        if (found) return found
      }
      return undefined
    }
  }
  if (filter?.timestamp === undefined) return undefined
  if (!TIMESTAMPS.includes(filter.timestamp))
    return `${path}.timestamp should be \`"created_time"\` or \`"last_edited_time"\`, instead was \`${JSON.stringify(filter.timestamp)}\`.`
  const condition = filter[filter.timestamp] ?? {}
  for (const [name, value] of Object.entries(condition)) {
    if (!TIME_CONDITIONS.includes(name))
      return `${path}.${filter.timestamp}.${name} is not a valid condition.`
    if (Number.isNaN(Date.parse(value)))
      return `${path}.${filter.timestamp}.${name} should be a valid ISO 8601 date string, instead was \`${JSON.stringify(value)}\`.`
  }
  return undefined
}

function matches(page, filter) {
  if (Array.isArray(filter.and)) return filter.and.every((inner) => matches(page, inner))
  if (Array.isArray(filter.or)) return filter.or.some((inner) => matches(page, inner))
  if (filter.timestamp === undefined) return true
  const time = Date.parse(page[filter.timestamp])
  return Object.entries(filter[filter.timestamp] ?? {}).every(([name, value]) => {
    const at = Date.parse(value)
    if (name === 'after') return time > at
    if (name === 'before') return time < at
    if (name === 'on_or_after') return time >= at
    if (name === 'on_or_before') return time <= at
    return time === at
  })
}

// Timestamp sorts (https://developers.notion.com/reference/sort-data-source-entries); property
// sorts leave the order as it is, as before.
function sorted(results, sorts) {
  const timestamp = (sorts ?? []).find((sort) => TIMESTAMPS.includes(sort.timestamp))
  if (!timestamp) return results
  const sign = timestamp.direction === 'descending' ? -1 : 1
  return results
    .map((page, i) => [page, i])
    .sort(
      ([a, i], [b, j]) =>
        sign * (Date.parse(a[timestamp.timestamp]) - Date.parse(b[timestamp.timestamp])) || i - j,
    )
    .map(([page]) => page)
}

// "last_edited_time and created_time properties will be rounded down to the closest minute"
// (https://developers.notion.com/changelog/last-edited-time-is-now-rounded-to-the-nearest-minute).
let clockAhead = 0

function notionNow() {
  const now = new Date(Date.now() + clockAhead)
  now.setUTCSeconds(0, 0)
  return now.toISOString()
}

// https://developers.notion.com/reference/patch-page: the properties given change, the rest stay.
function updatePage(store, id, body) {
  const page = store.pages.get(id)
  if (!page) return notShared(id, 'page')
  const tooLarge = sizeError(body.properties)
  if (tooLarge) return invalid(tooLarge)
  for (const [name, value] of Object.entries(body.properties ?? {})) {
    const type = SCHEMA[name]
    if (!type) return error(400, 'validation_error', `${name} is not a property that exists.`)
    const keys = Object.keys(value ?? {}).filter((k) => k !== 'type' && k !== 'id')
    if (keys.length !== 1 || keys[0] !== type)
      return error(400, 'validation_error', `${name} is expected to be ${type}.`)
  }
  const changed = record(page.parent, body.properties ?? {})
  page.properties = { ...page.properties, ...changed.properties }
  page.last_edited_time = changed.last_edited_time
  return json(200, pageObject(page))
}

// Size limits of a request (https://developers.notion.com/reference/request-limits): 2,000
// characters of text.content, 100 elements in an array of rich text, relations, people or
// multi_select options; 100 blocks of children.
const TEXT_LIMIT = 2000
const ARRAY_LIMIT = 100

function sizeError(properties, children) {
  if (Array.isArray(children) && children.length > ARRAY_LIMIT)
    return `body.children.length should be ≤ \`${ARRAY_LIMIT}\`, instead was \`${children.length}\`.`
  for (const [name, value] of Object.entries(properties ?? {})) {
    for (const [type, inner] of Object.entries(value ?? {})) {
      if (!Array.isArray(inner)) continue
      const path = `body.properties.${name}.${type}`
      if (inner.length > ARRAY_LIMIT)
        return `${path}.length should be ≤ \`${ARRAY_LIMIT}\`, instead was \`${inner.length}\`.`
      if (type !== 'title' && type !== 'rich_text') continue
      const long = inner.findIndex((item) => (item?.text?.content ?? '').length > TEXT_LIMIT)
      if (long !== -1)
        return `${path}[${long}].text.content.length should be ≤ \`${TEXT_LIMIT}\`, instead was \`${inner[long].text.content.length}\`.`
    }
  }
  return undefined
}

function createPage(store, body) {
  const parent = body.parent ?? {}
  const tooLarge = sizeError(body.properties, body.children)
  if (tooLarge) return invalid(tooLarge)
  if (parent.data_source_id) {
    if (parent.data_source_id === 'missing') return notShared(parent.data_source_id)
    for (const [name, value] of Object.entries(body.properties ?? {})) {
      const type = SCHEMA[name]
      if (!type) return error(400, 'validation_error', `${name} is not a property that exists.`)
      const keys = Object.keys(value ?? {}).filter((k) => k !== 'type' && k !== 'id')
      if (keys.length !== 1 || keys[0] !== type)
        return error(400, 'validation_error', `${name} is expected to be ${type}.`)
    }
    // "The transaction could not be completed, potentially due to a data collision. Make sure
    // the parameters are up to date and try again." (https://developers.notion.com/reference/status-codes)
    if (parent.data_source_id.startsWith('busy') && !store.busy.has(parent.data_source_id)) {
      store.busy.add(parent.data_source_id)
      return error(409, 'conflict_error', 'Conflict occurred while saving. Please try again.')
    }
    const created = record(
      { type: 'data_source_id', data_source_id: parent.data_source_id },
      body.properties ?? {},
    )
    pagesOf(store, parent.data_source_id).push(created)
    store.pages.set(created.id, created)
    return json(200, pageObject(created))
  }
  if (parent.page_id) {
    const names = Object.keys(body.properties ?? {})
    if (names.some((n) => n !== 'title'))
      return error(
        400,
        'validation_error',
        'Invalid property identifier: only title is allowed for a page parent.',
      )
    const created = record({ type: 'page_id', page_id: parent.page_id }, body.properties ?? {})
    store.pages.set(created.id, created)
    return json(200, pageObject(created))
  }
  return error(
    400,
    'validation_error',
    'body failed validation. Fix one: body.parent.page_id should be defined, instead was `undefined`. body.parent.data_source_id should be defined, instead was `undefined`.',
  )
}

// A rich text item as Notion answers it: with plain_text, annotations and href.
function richItem(item) {
  const plain =
    item.type === 'mention'
      ? item.mention?.type === 'user'
        ? '@Anonymous'
        : 'Untitled'
      : (item.text?.content ?? '')
  return {
    annotations: {
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: 'default',
    },
    ...item,
    type: item.type ?? 'text',
    plain_text: plain,
    href: null,
  }
}

/** A page as stored: every property value whole. */
function record(parent, properties) {
  const id = crypto.randomUUID()
  const now = notionNow()
  return {
    id,
    created_time: now,
    last_edited_time: now,
    parent,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, value]) => {
        const type = Object.keys(value ?? {}).find((k) => k !== 'id' && k !== 'type')
        const inner = value[type]
        const whole =
          (type === 'title' || type === 'rich_text') && Array.isArray(inner)
            ? inner.map(richItem)
            : inner
        return [name, { id: PROPERTY_IDS[name] ?? 'title', type, [type]: whole }]
      }),
    ),
  }
}

// A page object carries at most 25 references per property
// (https://developers.notion.com/reference/retrieve-a-page#limits): a relation cut there says
// has_more; people and the page or person mentions of a title or rich text are cut silently.
const REFERENCE_LIMIT = 25

function cut(property) {
  const value = property[property.type]
  switch (property.type) {
    case 'relation':
      return {
        ...property,
        relation: value.slice(0, REFERENCE_LIMIT),
        has_more: value.length > REFERENCE_LIMIT,
      }
    case 'people':
      return { ...property, people: value.slice(0, REFERENCE_LIMIT) }
    case 'title':
    case 'rich_text': {
      let mentions = 0
      const kept = value.filter(
        (item) =>
          item.type !== 'mention' ||
          !['page', 'user'].includes(item.mention?.type) ||
          ++mentions <= REFERENCE_LIMIT,
      )
      return { ...property, [property.type]: kept }
    }
    default:
      return property
  }
}

function pageObject(page) {
  return {
    object: 'page',
    id: page.id,
    created_time: page.created_time,
    last_edited_time: page.last_edited_time,
    in_trash: false,
    parent: page.parent,
    url: `https://www.notion.so/${page.id.replace(/-/g, '')}`,
    properties: Object.fromEntries(
      Object.entries(page.properties).map(([name, property]) => [name, cut(property)]),
    ),
  }
}

const PAGINATED = ['title', 'rich_text', 'relation', 'people']

// https://developers.notion.com/reference/retrieve-a-page-property and
// https://developers.notion.com/reference/property-item-object
function propertyItem(store, pageId, propertyId, params) {
  const page = store.pages.get(pageId)
  if (!page) return notShared(pageId, 'page')
  const property = Object.values(page.properties).find((p) => p.id === propertyId)
  if (!property)
    return error(404, 'object_not_found', `Could not find property with ID: ${propertyId}.`)
  const item = (value) => ({
    object: 'property_item',
    id: property.id,
    type: property.type,
    [property.type]: value,
  })
  if (!PAGINATED.includes(property.type)) return json(200, item(property[property.type]))
  const size = params.page_size === undefined ? 100 : Number(params.page_size)
  if (!Number.isInteger(size) || size < 1 || size > 100)
    return invalid(`query.page_size should be ≤ \`100\`, instead was \`${params.page_size}\`.`)
  const values = property[property.type]
  const start = params.start_cursor === undefined ? 0 : Number(params.start_cursor.slice(7))
  if (params.start_cursor !== undefined && !/^cursor-\d+$/.test(params.start_cursor))
    return invalid('query.start_cursor should be a valid cursor.')
  const more = start + size < values.length
  return json(200, {
    object: 'list',
    results: values.slice(start, start + size).map(item),
    next_cursor: more ? `cursor-${start + size}` : null,
    has_more: more,
    type: 'property_item',
    property_item: {
      id: property.id,
      next_url: more
        ? `https://api.notion.com/v1/pages/${pageId}/properties/${property.id}?start_cursor=cursor-${start + size}`
        : null,
      type: property.type,
      [property.type]: {},
    },
  })
}
