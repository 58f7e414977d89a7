import { AutomateError } from '../../errors'
import { isSecretName } from '../../redact/redact'
import { withinBase } from './credential-scope'

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Named like a secret (isSecretName) but safe to send on: it only dedupes the request. */
const NOT_SECRET = new Set(['idempotency-key'])

export type Request = {
  method: string
  headers: Headers
  /** FormData is sent again on a 307/308: fetch writes it anew each time. */
  body?: string | FormData
  signal?: AbortSignal
}

export type FollowOptions = {
  /** Redirects followed before giving up; 0 returns the 3xx answer itself. */
  maxRedirects: number
  /** Header names set from a stored credential: never sent to another origin. */
  credentialHeaders?: readonly string[]
  /**
   * The credential's baseUrl: credentials are dropped once a hop leaves it (its origin, or its
   * base path), not only its origin.
   */
  credentialBase?: URL
}

export type Followed = { response: Response; url: URL; redirects: number }

/**
 * fetch with `redirect: 'manual'`, following each hop by hand: every new URL must be http(s), a
 * 303 (and a 301/302 after a POST) turns into a GET without a body, as browsers do, and headers
 * that carry credentials (Authorization, Cookie, the credential's own, any named like a secret)
 * are dropped for good once a hop leaves the original origin (or the credential's baseUrl).
 */
export async function fetchFollowing(
  start: URL,
  request: Request,
  options: FollowOptions,
): Promise<Followed> {
  const origin = start.origin
  const headers = new Headers(request.headers)
  let { method, body } = request
  let url = start
  let leftOrigin = false
  for (let redirects = 0; ; redirects++) {
    const response = await fetchOnceMore(url, {
      method,
      headers,
      body,
      signal: request.signal,
      redirect: 'manual',
    })
    const location = response.headers.get('location')
    if (!REDIRECTS.has(response.status) || location === null || options.maxRedirects === 0)
      return { response, url, redirects }
    await response.body?.cancel().catch(() => {})
    if (redirects >= options.maxRedirects) {
      throw new AutomateError(
        'TOO_MANY_REDIRECTS',
        `${request.method} ${origin} redirected more than ${options.maxRedirects} times`,
        { retryable: false, details: { maxRedirects: options.maxRedirects } },
      )
    }
    const next = parseLocation(location, url)
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      if (method !== 'HEAD') method = 'GET'
      body = undefined
      headers.delete('content-type')
      headers.delete('content-length')
    }
    const leaves = options.credentialBase
      ? !withinBase(next, options.credentialBase)
      : next.origin !== origin
    if (!leftOrigin && leaves) {
      leftOrigin = true
      stripCredentials(headers, options.credentialHeaders ?? [])
    }
    url = next
  }
}

/** Methods that change nothing more when sent twice (RFC 9110 section 9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

/**
 * fetch, sent once more at once when the connection drops before an answer and sending it again
 * is safe: an idempotent method, or a request carrying an Idempotency-Key. workerd's HTTP client
 * (kj) decides whether to reuse a connection from the answer's Connection header alone: after an
 * HTTP/1.0 answer without `Connection: close` (Python's http.server, many small services) it puts
 * the socket back in its pool though the server has closed it, and the next request on it fails
 * with "Network connection lost" (issue 19 item 11). The second try gets a fresh connection.
 * A POST without a key is not sent again: it may have taken effect.
 */
async function fetchOnceMore(url: URL, init: RequestInit & { method: string; headers: Headers }) {
  try {
    return await fetch(url, init)
  } catch (error) {
    const safe = IDEMPOTENT.has(init.method) || init.headers.has('idempotency-key')
    if (!safe || init.signal?.aborted) throw error
    return fetch(url, init)
  }
}

function parseLocation(location: string, base: URL): URL {
  let next: URL
  try {
    next = new URL(location, base)
  } catch {
    throw new AutomateError('REDIRECT_REFUSED', `${base.origin} redirected to an invalid URL`, {
      retryable: false,
    })
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw new AutomateError(
      'REDIRECT_REFUSED',
      `${base.origin} redirected to a ${next.protocol} URL; only http and https are followed`,
      { retryable: false },
    )
  }
  return next
}

function stripCredentials(headers: Headers, credentialHeaders: readonly string[]) {
  const names = new Set(credentialHeaders.map((name) => name.toLowerCase()))
  for (const name of [...headers.keys()]) {
    if (names.has(name) || (isSecretName(name) && !NOT_SECRET.has(name))) headers.delete(name)
  }
}
