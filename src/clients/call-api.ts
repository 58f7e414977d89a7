import { AutomateError } from '../errors'
import { originsOnly } from '../redact/origins-only'
import type { ServiceName } from './service'
import { checkWithinBase } from './transport/credential-scope'
import {
  errorMessageOf,
  isRetryableStatus,
  noAnswerError,
  readBody,
  retryAfterMs,
} from './transport/http'

export type ApiRequest = {
  /** The app, as messages name it, with the code its failures carry (its defineService). */
  service: ServiceName & { authenticate?(credential: never): Record<string, string> }
  /** Authenticates the call the service's way (its `authenticate`): the headers it gives. */
  credential?: { type: string; data: unknown }
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: URL
  headers?: Record<string, string>
  /** Sent as JSON. */
  json?: unknown
  /** Sent as it is, with its own content-type in `headers`. */
  body?: string
  signal?: AbortSignal
  /** The API's own words for a failed call, when its error body has a shape of its own. */
  messageOf?: (body: unknown) => string | undefined
  /** A wait the API asks for in its body (Discord's and Telegram's `retry_after`), in ms. */
  retryAfterOf?: (body: unknown) => number | undefined
  /**
   * For an API that says "rate limited" in its own way (GitHub: a 403 with x-ratelimit-*): the
   * wait in ms when this failed answer is one, which makes it retryable after that wait.
   */
  rateLimitOf?: (answer: ApiAnswer) => number | undefined
}

export type ApiAnswer = { status: number; headers: Headers; body: unknown }

/**
 * One call to an app's API, as every client makes it: no redirects followed (a token is never
 * sent on to another host), the answer read against the 5 MiB limit, and failures mapped to one
 * AutomateError: 429, 408 and 5xx retryable after the API's Retry-After (header or body), any
 * other 4xx final, with the API's own message. Messages name the origin only, never the path:
 * Slack, Discord and Telegram keep their secrets in it.
 */
export async function callApi(request: ApiRequest): Promise<ApiAnswer> {
  const method = request.method ?? (request.json !== undefined || request.body ? 'POST' : 'GET')
  const headers = new Headers(request.headers)
  const { credential, service } = request
  if (credential && service.authenticate) {
    for (const [name, value] of Object.entries(service.authenticate(credential as never)))
      headers.set(name, value)
  }
  let body = request.body
  if (request.json !== undefined) {
    body = JSON.stringify(request.json)
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
  }
  const where = `${request.service.name} (${method} ${request.url.origin})`
  let response: Response
  let answer: unknown
  try {
    response = await fetch(request.url, {
      method,
      headers,
      body,
      signal: request.signal,
      redirect: 'manual',
    })
    answer = await readBody(response)
  } catch (error) {
    if (error instanceof AutomateError) throw error
    throw noAnswerError(where, error, request.signal?.aborted ?? false)
  }
  if (response.status >= 300) {
    throw apiError(request, response.status, response.headers, answer)
  }
  return { status: response.status, headers: response.headers, body: answer }
}

/** The error for a failed call; also for an API that says "failed" in a 200 (Slack, Telegram). */
export function apiError(
  request: Pick<ApiRequest, 'service' | 'messageOf' | 'retryAfterOf' | 'rateLimitOf'>,
  status: number,
  headers: Headers,
  body: unknown,
) {
  const message = originsOnly(request.messageOf?.(body) ?? errorMessageOf(body))
  const redirect = status < 400
  const summary = redirect
    ? `${request.service.name} answered ${status}, a redirect, which is not followed`
    : `${request.service.name} ${status}`
  const limitedMs = redirect ? undefined : request.rateLimitOf?.({ status, headers, body })
  const waitMs =
    limitedMs ?? waitAsked(headers) ?? request.retryAfterOf?.(body)
  return new AutomateError(
    request.service.errorCode,
    message && !redirect ? `${summary}: ${message}` : summary,
    {
      status: 502,
      retryable: limitedMs !== undefined || (!redirect && isRetryableStatus(status)),
      retryAfterMs: waitMs,
      details: { status, body },
    },
  )
}

/**
 * The wait an answer asks for: `retry-after-ms` first (Azure OpenAI sends it, and OpenAI's and
 * Anthropic's SDKs read it before Retry-After: openai-node src/client.ts `retryRequest`), then
 * Retry-After in seconds or as a date.
 */
function waitAsked(headers: Headers) {
  const ms = headers.get('retry-after-ms')?.trim()
  if (ms && Number.isFinite(Number(ms)) && Number(ms) >= 0) return Number(ms)
  return retryAfterMs(headers.get('retry-after'))
}

/**
 * The URL to call: `path` under the credential's baseUrl when it has one, else under the app's
 * official base URL.
 */
export function apiUrl(official: string, baseUrl: string | undefined, path: string) {
  const base = (baseUrl ?? official).replace(/\/+$/, '')
  // A path built from config (an id, an owner) must not climb out of the base, nor change host.
  return checkWithinBase(new URL(base + path), new URL(base), 'The credential')
}

/** A full URL the user pasted (a webhook URL), moved onto the credential's baseUrl when given. */
export function rebase(url: string, baseUrl: string | undefined) {
  const parsed = new URL(url)
  if (!baseUrl) return parsed
  const base = baseUrl.replace(/\/+$/, '')
  return checkWithinBase(
    new URL(base + parsed.pathname + parsed.search),
    new URL(base),
    'The credential',
  )
}
