import { Client, RequestTimeoutError, isHTTPResponseError } from '@notionhq/client'
import { z } from 'zod'
import { AutomateError } from '../errors'
import { originsOnly } from '../redact/origins-only'
import { toNotionProperties } from './notion-properties'
import { OAUTH2_KIND, oauthAccess } from './oauth2'
import { type CredentialOf, defineService, secret } from './service'
import { checkWithinBase } from './transport/credential-scope'
import { isRetryableStatus, noAnswerError, readText, retryAfterMs } from './transport/http'

export const notion = defineService({
  name: 'Notion',
  errorCode: 'NOTION_ERROR',
  otherCodes: ['NOTION_PROPERTY_INVALID', 'NOTION_PROPERTY_UNKNOWN', 'NOTION_PROPERTY_READ_ONLY'],
  baseUrl: 'https://api.notion.com',
  // "An average of three requests per second" per integration
  // (https://developers.notion.com/reference/request-limits).
  rateLimit: { calls: 3, intervalMs: 1000 },
  credentials: {
    notion: {
      data: z
        .object({ token: secret().describe('The internal integration secret (ntn_…)') })
        .strict(),
      sample: { token: 'ntn_sample' },
    },
    // A public integration, connected with "Connect" (preset notion).
    oauth2: OAUTH2_KIND,
  },
})

/** The Notion API version every request names (data sources replace databases' queries). */
export const NOTION_VERSION = '2025-09-03'

/**
 * The official client (@notionhq/client: typed endpoints, no Node-only dependency) set up for a
 * Worker: our fetch, with the step's signal, no redirects, and the 5 MiB read limit; its own
 * retries off, since the node's retry policy decides; its console logging off, since a log line
 * is no place for a page's content.
 */
export function notionClient(credential: CredentialOf<typeof notion>, signal?: AbortSignal) {
  const access = credential.type === 'oauth2' ? oauthAccess(credential, 'notion') : undefined
  let token = access
    ? access.token
    : (credential as CredentialOf<typeof notion, 'notion'>).data.token
  const send = async (url: string, init: RequestInit | undefined) => {
    const headers = new Headers(init?.headers)
    headers.set('authorization', `Bearer ${token}`)
    return fetch(url, { ...init, headers, signal, redirect: 'manual' })
  }
  return new Client({
    auth: token,
    notionVersion: NOTION_VERSION,
    baseUrl: credential.baseUrl,
    retry: false,
    logger: () => {},
    fetch: async (url: string, init?: RequestInit) => {
      // The SDK puts ids from the config in its paths: the token goes under its base only.
      const base = new URL(credential.baseUrl ?? notion.baseUrl!)
      checkWithinBase(new URL(url), base, `Credential ${credential.name}`)
      let response = await send(url, init)
      if (response.status === 401 && access) {
        // Refused: once renewed (refreshed, or another run's fresh token), the call is made again.
        await response.body?.cancel()
        token = await access.renew(token)
        response = await send(url, init)
      }
      const text = await readText(response)
      return new Response(text, { status: response.status, headers: response.headers })
    },
  })
}

/** Any failure of a Notion call as our one error type, with Notion's own message and code. */
export function notionError(error: unknown): AutomateError {
  if (error instanceof AutomateError) return error
  if (isHTTPResponseError(error)) {
    const headers = error.headers as Headers | undefined
    return new AutomateError(
      'NOTION_ERROR',
      `Notion ${error.status}: ${originsOnly(error.message)}`,
      {
        status: 502,
        // 409 conflict_error: "The transaction could not be completed, potentially due to a data
        // collision. Make sure the parameters are up to date and try again."
        // (https://developers.notion.com/reference/status-codes)
        retryable: isRetryableStatus(error.status) || error.code === 'conflict_error',
        retryAfterMs: retryAfterMs(headers?.get?.('retry-after') ?? null),
        details: { status: error.status, code: error.code },
        cause: error,
      },
    )
  }
  if (error instanceof RequestTimeoutError) {
    return new AutomateError('HTTP_TIMEOUT', 'Notion did not answer in time', { cause: error })
  }
  return noAnswerError('Notion', error, false)
}

/** Runs one Notion call, mapping its failure. */
export async function notionCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw notionError(error)
  }
}

type Schema = Record<string, { type: string }>

/**
 * A data source's schema is read again after this long: each simple-mode page would otherwise
 * cost two calls against Notion's average of three requests a second
 * (https://developers.notion.com/reference/request-limits).
 */
const SCHEMA_TTL_MS = 60_000

// Per isolate, by token, base URL and data source, so one credential never sees what another
// was shown.
const schemas = new Map<string, { schema: Schema; expiresAt: number }>()

async function schemaKey(credential: CredentialOf<typeof notion>, dataSourceId: string) {
  // An oauth2 credential's token changes at each refresh: its app and name say whose it is.
  const secret =
    credential.type === 'oauth2'
      ? `oauth2:${credential.name}:${credential.data.clientId}`
      : credential.data.token
  const bytes = new TextEncoder().encode(secret)
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  const token = btoa(String.fromCharCode(...new Uint8Array(digest)))
  return JSON.stringify([token, credential.baseUrl ?? '', dataSourceId])
}

/**
 * Plain values as the property objects of a data source, by its schema: the cached one when
 * fresh, read again when a name is missing from it (a property added since) or it is stale.
 */
export async function dataSourceProperties(
  client: Client,
  credential: CredentialOf<typeof notion>,
  dataSourceId: string,
  values: Record<string, unknown>,
  now = Date.now(),
) {
  const key = await schemaKey(credential, dataSourceId)
  const cached = schemas.get(key)
  if (cached && cached.expiresAt > now) {
    try {
      return toNotionProperties(values, cached.schema)
    } catch (error) {
      if (!(error instanceof AutomateError) || error.code !== 'NOTION_PROPERTY_UNKNOWN') throw error
    }
  }
  const dataSource = (await notionCall(() =>
    client.dataSources.retrieve({ data_source_id: dataSourceId }),
  )) as { properties: Schema }
  schemas.set(key, { schema: dataSource.properties, expiresAt: now + SCHEMA_TTL_MS })
  return toNotionProperties(values, dataSource.properties)
}

/** Forgets a data source's schema: after Notion refused what it was used to build. */
export async function forgetDataSourceSchema(
  credential: CredentialOf<typeof notion>,
  dataSourceId: string,
) {
  schemas.delete(await schemaKey(credential, dataSourceId))
}

type PropertyValue = { id: string; type: string; has_more?: boolean; [key: string]: unknown }

/**
 * A page object carries at most 25 references per property
 * (https://developers.notion.com/reference/retrieve-a-page#limits): a relation says so with
 * has_more; people stop at 25, and title and rich text at 25 page or person mentions, without
 * saying. Those are the ones read whole.
 */
const REFERENCE_LIMIT = 25

function mayBeCut(property: PropertyValue) {
  const value = property[property.type]
  if (!Array.isArray(value)) return false
  switch (property.type) {
    case 'relation':
      return property.has_more === true
    case 'people':
      return value.length >= REFERENCE_LIMIT
    case 'title':
    case 'rich_text':
      return (
        value.filter(
          (item) => item?.type === 'mention' && ['page', 'user'].includes(item.mention?.type),
        ).length >= REFERENCE_LIMIT
      )
    default:
      return false
  }
}

/**
 * The page with every property that may have been cut read whole from the property item
 * endpoint, GET /v1/pages/{page_id}/properties/{property_id}, a paginated list of property items
 * for title, rich_text, relation and people
 * (https://developers.notion.com/reference/retrieve-a-page-property).
 */
export async function wholePage<T extends { id: string; properties?: Record<string, unknown> }>(
  client: Client,
  page: T,
): Promise<T> {
  const entries = Object.entries((page.properties ?? {}) as Record<string, PropertyValue>)
  if (!entries.some(([, property]) => mayBeCut(property))) return page
  const properties: Record<string, PropertyValue> = {}
  for (const [name, property] of entries) {
    if (!mayBeCut(property)) {
      properties[name] = property
      continue
    }
    const items: unknown[] = []
    let cursor: string | undefined
    do {
      const answer = (await notionCall(() =>
        client.pages.properties.retrieve({
          page_id: page.id,
          property_id: property.id,
          page_size: 100,
          ...(cursor ? { start_cursor: cursor } : {}),
        }),
      )) as { results?: Record<string, unknown>[]; has_more?: boolean; next_cursor?: string | null }
      items.push(...(answer.results ?? []).map((item) => item[property.type]))
      cursor = answer.has_more ? (answer.next_cursor ?? undefined) : undefined
    } while (cursor)
    properties[name] = {
      ...property,
      [property.type]: items,
      ...('has_more' in property ? { has_more: false } : {}),
    }
  }
  return { ...page, properties }
}
