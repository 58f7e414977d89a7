import { Client, RequestTimeoutError, isHTTPResponseError } from '@notionhq/client'
import { z } from 'zod'
import { AutomateError } from '../errors'
import { originsOnly } from '../redact/origins-only'
import { type CredentialOf, defineService, secret } from './service'
import { isRetryableStatus, noAnswerError, readText, retryAfterMs } from './transport/http'

export const notion = defineService({
  name: 'Notion',
  errorCode: 'NOTION_ERROR',
  otherCodes: ['NOTION_PROPERTY_INVALID', 'NOTION_PROPERTY_UNKNOWN', 'NOTION_PROPERTY_READ_ONLY'],
  baseUrl: 'https://api.notion.com',
  credentials: {
    notion: {
      data: z
        .object({ token: secret().describe('The internal integration secret (ntn_…)') })
        .strict(),
      sample: { token: 'ntn_sample' },
    },
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
  return new Client({
    auth: credential.data.token,
    notionVersion: NOTION_VERSION,
    baseUrl: credential.baseUrl,
    retry: false,
    logger: () => {},
    fetch: async (url: string, init?: RequestInit) => {
      const response = await fetch(url, { ...init, signal, redirect: 'manual' })
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
        retryable: isRetryableStatus(error.status),
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
