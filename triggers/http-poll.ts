import { z } from 'zod'
import {
  AutomateError,
  HTTP_CREDENTIAL_TYPES,
  MAX_RESPONSE_BYTES,
  appendQuery,
  authenticate,
  credentialName,
  credentialUrl,
  definePollTrigger,
  evaluateExpression,
  fetchFollowing,
  httpError,
  isHttpUrl,
  jsonataSource,
  noAnswerError,
  readBody,
  refused,
} from '../src/triggers/trigger-api'

/**
 * `seen`: the ids of the items in the last answer that were already started (an API that lists
 * its latest items answers them again every time); `value`: what `cursor.param` is sent as.
 */
type Cursor = { seen: string[]; value?: string | number }

/** Ids kept between polls: an answer listing more than this should use `cursor`. */
const MAX_SEEN = 5000

export default definePollTrigger({
  type: 'http-poll',
  title: 'HTTP: poll an API',
  description:
    'GETs a JSON API on every poll and starts a run for each item whose id it has not seen ' +
    "before: `items` is a JSONata path to the list in the answer, `id` one to an item's id. " +
    "With `cursor`, the last item's `from` value is sent as the query parameter `param`.",
  credentialTypes: HTTP_CREDENTIAL_TYPES,
  sample: {
    config: { url: 'https://api.example.com/orders', items: '$', id: '$string(ok)' },
  },
  config: z.object({
    url: z
      .string()
      .min(1)
      .max(8000)
      .refine(
        (url) => isHttpUrl(url) || url.startsWith('/'),
        'must be an http or https URL (or a path, with a credential that has a baseUrl)',
      )
      .describe("The URL to GET; a path is resolved against the credential's baseUrl"),
    credential: credentialName()
      .optional()
      .describe(
        'A stored http-bearer, http-basic or http-header credential; sent only under its baseUrl',
      ),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers'),
    query: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Query parameters added to the URL'),
    items: jsonataSource().describe('JSONata to the list of items in the answer, e.g. data.orders'),
    id: jsonataSource().describe("JSONata to an item's id, e.g. id"),
    cursor: z
      .object({
        param: z.string().min(1).max(100).describe('The query parameter, e.g. since_id'),
        from: jsonataSource().describe("JSONata to an item's cursor value, e.g. id or created_at"),
      })
      .strict()
      .optional()
      .describe('Ask the API only for items after the last one started'),
    order: z
      .enum(['oldest-first', 'newest-first'])
      .default('oldest-first')
      .describe('How the API lists its items (with cursor, they are sorted by its value)'),
  }),
  async poll(ctx) {
    const { config } = ctx
    const credential = config.credential ? await ctx.credential() : undefined
    const cursor = ctx.cursor as Cursor | null
    // The cursor's parameter replaces one of the same name in config.query.
    const query: Record<string, unknown> = { ...config.query }
    if (config.cursor && cursor?.value !== undefined)
      query[config.cursor.param] = String(cursor.value)
    let url = appendQuery(credentialUrl(config.url, credential), query)
    const headers = new Headers(config.headers)
    if (!headers.has('accept')) headers.set('accept', 'application/json')
    const credentialHeaders: string[] = []
    if (credential) {
      const authenticated = await authenticate(credential, url, headers, ctx.signal)
      url = authenticated.url
      credentialHeaders.push(...authenticated.credentialHeaders)
    }
    let response: Response
    let body: unknown
    try {
      const followed = await fetchFollowing(
        url,
        { method: 'GET', headers, signal: ctx.signal },
        {
          maxRedirects: 5,
          credentialHeaders,
          credentialBase: credential?.baseUrl ? new URL(credential.baseUrl) : undefined,
        },
      )
      response = followed.response
      body = await readBody(response, {
        limit: MAX_RESPONSE_BYTES,
        as: response.ok ? 'json' : 'auto',
      })
    } catch (error) {
      if (error instanceof AutomateError) throw error
      throw noAnswerError(`GET ${url.origin}`, error, ctx.signal.aborted)
    }
    if (response.status === 401 && credential) await refused(credential)
    if (response.status >= 400) throw httpError(response, body)

    const found = await evaluateExpression(config.items, body)
    const list = found === undefined ? [] : Array.isArray(found) ? found : [found]
    const entries: { id: string; item: unknown; from: string | number | undefined }[] = []
    for (const [index, item] of list.entries()) {
      const id = await evaluateExpression(config.id, item)
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw new AutomateError(
          'CONFIG_INVALID',
          `config.id gave ${id === undefined ? 'nothing' : typeof id} for item ${index}, not a string or number`,
          {
            retryable: false,
            details: [{ path: 'config.id', message: 'must give each item an id' }],
          },
        )
      }
      const from = config.cursor ? await evaluateExpression(config.cursor.from, item) : undefined
      entries.push({ id: String(id), item, from: from as string | number | undefined })
    }
    if (config.order === 'newest-first') entries.reverse()
    if (config.cursor) entries.sort((a, b) => compare(a.from, b.from))
    // An id listed twice in one answer is one item.
    const unique = entries.filter((entry, i) => entries.findIndex((e) => e.id === entry.id) === i)
    const seen = new Set(cursor?.seen ?? [])
    const next = (started: typeof unique, value: string | number | undefined): Cursor => {
      const kept = new Set(started.map((entry) => entry.id))
      const ids = unique.filter((entry) => seen.has(entry.id) || kept.has(entry.id))
      return {
        seen: ids.slice(-MAX_SEEN).map((entry) => entry.id),
        ...(value !== undefined ? { value } : {}),
      }
    }
    const lastFrom = (started: typeof unique) =>
      started.reduce<string | number | undefined>(
        (max, entry) =>
          entry.from !== undefined && compare(entry.from, max) > 0 ? entry.from : max,
        cursor?.value,
      )
    if (ctx.baselineOnly) return { items: [], cursorAfter: () => next(unique, lastFrom(unique)) }
    const fresh = unique.filter((entry) => !seen.has(entry.id))
    return {
      items: fresh.map((entry) => ({ id: entry.id, item: entry.item })),
      cursorAfter: (count) => next(fresh.slice(0, count), lastFrom(fresh.slice(0, count))),
    }
  },
})

/** Numbers by value, anything else as text; undefined first. */
function compare(a: unknown, b: unknown) {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0
}
