import { AutomateError } from '../errors'

/** Reads a response body as JSON when it says so (or looks like it), otherwise as text. */
export async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return null
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
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
  if (typeof body === 'string') return body.slice(0, 300) || undefined
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
  const message = errorMessageOf(body)
  const summary = `${service} ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`
  return new AutomateError('HTTP_ERROR', message ? `${summary}: ${message}` : summary, {
    status: 502,
    retryable: isRetryableStatus(response.status),
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    details: { status: response.status, body },
  })
}
