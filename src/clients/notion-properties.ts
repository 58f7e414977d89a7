import { AutomateError } from '../errors'

// Notion's size limits for a request (https://developers.notion.com/reference/request-limits):
// 2,000 characters in one rich text object's text.content, 100 elements in any array of rich
// text, and 100 options, related pages or users in a multi_select, relation or people value.
// Notion counts content.length (its message says so), which is UTF-16 units.
const TEXT_LIMIT = 2000
const ARRAY_LIMIT = 100

/**
 * Text as rich text objects of at most 2,000 UTF-16 units each, cut between code points so an
 * emoji at a boundary stays whole; text that needs more than 100 pieces is refused, not cut.
 */
const richText = (value: unknown, name: string) => {
  const text = value === null || value === undefined ? '' : String(value)
  const pieces: { type: 'text'; text: { content: string } }[] = []
  let piece = ''
  for (const char of text) {
    if (piece.length + char.length > TEXT_LIMIT) {
      pieces.push({ type: 'text', text: { content: piece } })
      piece = ''
    }
    piece += char
  }
  if (piece) pieces.push({ type: 'text', text: { content: piece } })
  if (pieces.length > ARRAY_LIMIT) {
    throw new AutomateError(
      'NOTION_PROPERTY_INVALID',
      `Property ${name} holds ${text.length} characters; Notion takes at most ${ARRAY_LIMIT} pieces of ${TEXT_LIMIT} (${ARRAY_LIMIT * TEXT_LIMIT} characters) in one text value: shorten it, or put it in the page content (children)`,
      { retryable: false, details: { property: name, length: text.length } },
    )
  }
  return pieces
}

const list = (value: unknown, name: string): unknown[] => {
  const items = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value === null || value === undefined
        ? []
        : [value]
  if (items.length > ARRAY_LIMIT) {
    throw new AutomateError(
      'NOTION_PROPERTY_INVALID',
      `Property ${name} has ${items.length} values; Notion takes at most ${ARRAY_LIMIT} in one request`,
      { retryable: false, details: { property: name, count: items.length } },
    )
  }
  return items
}

const nullable = <T>(value: unknown, build: () => T) =>
  value === null || value === undefined || value === '' ? null : build()

/** How a plain value becomes the property object of each type Notion lets an API set. */
const WRITERS: Record<string, (value: unknown, name: string) => unknown> = {
  title: (v, name) => ({ title: richText(v, name) }),
  rich_text: (v, name) => ({ rich_text: richText(v, name) }),
  number: (v, name) => {
    if (v === null || v === undefined || v === '') return { number: null }
    const n = typeof v === 'number' ? v : Number(v)
    if (!Number.isFinite(n)) throw invalid(name, 'number', v)
    return { number: n }
  },
  select: (v) => ({ select: nullable(v, () => ({ name: String(v) })) }),
  status: (v) => ({ status: nullable(v, () => ({ name: String(v) })) }),
  multi_select: (v, name) => ({
    multi_select: list(v, name).map((option) => ({ name: String(option) })),
  }),
  date: (v, name) => ({
    date: nullable(v, () => {
      if (typeof v === 'string') return { start: v }
      if (typeof v === 'object' && v !== null && 'start' in v) return v
      throw invalid(name, 'date', v)
    }),
  }),
  checkbox: (v, name) => {
    if (typeof v === 'boolean') return { checkbox: v }
    if (v === 'true' || v === 'false') return { checkbox: v === 'true' }
    throw invalid(name, 'checkbox', v)
  },
  url: (v) => ({ url: nullable(v, () => String(v)) }),
  email: (v) => ({ email: nullable(v, () => String(v)) }),
  phone_number: (v) => ({ phone_number: nullable(v, () => String(v)) }),
  people: (v, name) => ({ people: list(v, name).map((id) => ({ id: String(id) })) }),
  relation: (v, name) => ({ relation: list(v, name).map((id) => ({ id: String(id) })) }),
}

function invalid(name: string, type: string, value: unknown) {
  return new AutomateError(
    'NOTION_PROPERTY_INVALID',
    `Property ${name} is a ${type} property; ${JSON.stringify(value)} is not a ${type} value`,
    { retryable: false, details: { property: name, type } },
  )
}

/**
 * Plain values ({ "Name": "Ada", "Tags": ["a"] }) as Notion property objects, by the type each
 * property has in the data source's schema.
 */
export function toNotionProperties(
  values: Record<string, unknown>,
  schema: Record<string, { type: string }>,
) {
  const properties: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    const property = schema[name]
    if (!property) {
      throw new AutomateError(
        'NOTION_PROPERTY_UNKNOWN',
        `The data source has no property named ${name}; it has ${Object.keys(schema).join(', ')}`,
        { retryable: false, details: { property: name, known: Object.keys(schema) } },
      )
    }
    const write = WRITERS[property.type]
    if (!write) {
      throw new AutomateError(
        'NOTION_PROPERTY_READ_ONLY',
        `Property ${name} is a ${property.type} property, which the simple mode cannot set; use mode raw`,
        { retryable: false, details: { property: name, type: property.type } },
      )
    }
    properties[name] = write(value, name)
  }
  return properties
}

/** A page's title when the parent is a page: the only property such a page has. */
export function titleProperty(values: Record<string, unknown>) {
  const names = Object.keys(values)
  if (names.length !== 1 || names[0] !== 'title') {
    throw new AutomateError(
      'NOTION_PROPERTY_UNKNOWN',
      'A page under a page has only a title: give properties as { "title": "…" }',
      { retryable: false },
    )
  }
  return { title: { title: richText(values.title, 'title') } }
}

type PropertyValue = { type: string; [key: string]: unknown }

const plainText = (items: unknown) =>
  Array.isArray(items)
    ? items.map((t) => (t as { plain_text?: string }).plain_text ?? '').join('')
    : ''

/** A Notion property value as the plain value a workflow works with. */
export function fromNotionProperty(property: PropertyValue): unknown {
  const value = property[property.type] as any
  switch (property.type) {
    case 'title':
    case 'rich_text':
      return plainText(value)
    case 'select':
    case 'status':
      return value?.name ?? null
    case 'multi_select':
      return (value ?? []).map((option: { name: string }) => option.name)
    case 'date':
      return value ? (value.end ? { start: value.start, end: value.end } : value.start) : null
    case 'people':
    case 'relation':
      return (value ?? []).map((item: { id: string }) => item.id)
    case 'formula':
      return value ? value[value.type] : null
    case 'unique_id':
      return value ? `${value.prefix ? `${value.prefix}-` : ''}${value.number}` : null
    case 'files':
      return (value ?? []).map((f: any) => f?.[f.type]?.url ?? f?.name)
    case 'created_by':
    case 'last_edited_by':
      return value?.id ?? null
    default:
      return value ?? null
  }
}

/** A page as Notion answers it, in the parts the simple shape reads. */
export type NotionPage = {
  object: string
  id: string
  url?: string
  created_time?: string
  last_edited_time?: string
  properties?: Record<string, { type: string }>
}

/**
 * A page as plain values: what notion-query returns in simple mode and notion-changed-pages
 * starts each run with, so one workflow can take either.
 */
export function simplePage(page: NotionPage) {
  return {
    id: page.id,
    url: page.url ?? null,
    createdTime: page.created_time ?? null,
    lastEditedTime: page.last_edited_time ?? null,
    properties: Object.fromEntries(
      Object.entries(page.properties ?? {}).map(([name, property]) => [
        name,
        fromNotionProperty(property as PropertyValue),
      ]),
    ),
  }
}
