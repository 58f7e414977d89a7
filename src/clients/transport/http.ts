import { AutomateError } from '../../errors'
import { parseJsonLossless } from '../../lib/lossless-json'
import { readCapped } from '../../lib/read-capped'
import { originsOnly } from '../../redact/origins-only'
import { cutText } from '../../redact/redact'

/** The most of a response body any node reads: a node may ask for less, never more. */
export const MAX_RESPONSE_BYTES = 5 * 1024 * 1024

export type ReadOptions = {
  /** Bytes; defaults to MAX_RESPONSE_BYTES and cannot exceed it. */
  limit?: number
  /** `auto` parses JSON when it says so (or looks like it), `text` never parses, `json` must parse. */
  as?: 'auto' | 'json' | 'text'
}

/**
 * Reads a response body as JSON when it says so (or looks like it), otherwise as text, never
 * holding more than `limit` bytes: a larger body fails with RESPONSE_TOO_LARGE.
 */
export async function readBody(response: Response, options: ReadOptions = {}): Promise<unknown> {
  const text = await readText(response, options.limit)
  return parseBody(text, response, options.as)
}

/** A body already read as text, parsed as `readBody` would (`as`: see ReadOptions). */
export function parseBody(
  text: string,
  response: Pick<Response, 'status' | 'headers'>,
  as: ReadOptions['as'] = 'auto',
): unknown {
  if (as === 'text') return text
  if (text === '') return null
  const type = response.headers.get('content-type') ?? ''
  if (as === 'json' || type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      // An API's 64-bit ids (Shopify's, X's) stay exact too, as strings of their digits.
      return parseJsonLossless(text)
    } catch (error) {
      if (as === 'json') {
        throw new AutomateError('RESPONSE_NOT_JSON', 'The answer is not JSON', {
          retryable: false,
          cause: error,
          details: { status: response.status, contentType: type, start: cutText(text, 200) },
        })
      }
      return text
    }
  }
  return text
}

/** The body as UTF-8 text, counted as it streams in (see read-capped.ts). */
export async function readText(response: Response, limit = MAX_RESPONSE_BYTES): Promise<string> {
  return new TextDecoder().decode(await readBytes(response, limit))
}

/** The body's bytes, never more than `limit` of them (at most MAX_RESPONSE_BYTES). */
export async function readBytes(response: Response, limit = MAX_RESPONSE_BYTES) {
  const max = Math.min(limit, MAX_RESPONSE_BYTES)
  const tooLarge = () =>
    new AutomateError(
      'RESPONSE_TOO_LARGE',
      `The answer is larger than ${max} bytes; raise maxResponseBytes (at most ${MAX_RESPONSE_BYTES}) or ask the API for less`,
      { retryable: false, details: { limit: max } },
    )
  return readCapped(response, max, tooLarge)
}

/** Retry-After is either seconds or an HTTP date; either way, milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The human part of an API's error body, whatever shape the API uses. */
export function errorMessageOf(body: unknown): string | undefined {
  // Redacted before it is cut: an API that echoes a key after 290 characters would otherwise
  // leave its first ten where no search for the whole key finds them. URLs are cut to their
  // origin first, as every caller does, so a quoted webhook URL still names its host.
  if (typeof body === 'string') return cutText(originsOnly(body), 300) || undefined
  if (typeof body !== 'object' || body === null) return undefined
  // GraphQL, GitHub and JSON:API answer with a list: { errors: [{ message }] }.
  if (Array.isArray(body)) {
    for (const item of body) {
      const message = errorMessageOf(item)
      if (message) return message
    }
    return undefined
  }
  const record = body as Record<string, unknown>
  for (const key of ['message', 'error_description', 'detail', 'description', 'error', 'errors']) {
    const value = record[key]
    if (typeof value === 'string' && value) return value
    if (typeof value === 'object' && value !== null) {
      const nested = errorMessageOf(value)
      if (nested) return nested
    }
  }
  return undefined
}

/** 408, 429 and 5xx may pass if tried again; any other 4xx will not. */
export function isRetryableStatus(status: number) {
  return status === 408 || status === 429 || status >= 500
}

export function httpError(response: Response, body: unknown, service = 'HTTP') {
  const message = originsOnly(errorMessageOf(body))
  const summary = `${service} ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  return new AutomateError('HTTP_ERROR', message ? `${summary}: ${message}` : summary, {
    status: 502,
    retryable: isRetryableStatus(response.status),
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    details: { status: response.status, body },
  })
}

/**
 * The error for a request that got no answer. The runtime's own message may quote the whole URL
 * (workerd: "Fetch API cannot load: https://…"), so it is cut to origins like ours.
 */
export function noAnswerError(where: string, error: unknown, timedOut: boolean) {
  if (timedOut) {
    return new AutomateError('HTTP_TIMEOUT', `${where} did not answer in time`, { cause: error })
  }
  const reason = originsOnly(String((error as Error)?.message ?? error))
  return new AutomateError('HTTP_NETWORK', `${where} failed: ${reason}`, { cause: error })
}
