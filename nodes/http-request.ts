import { z } from 'zod'
import {
  AutomateError,
  HTTP_CREDENTIAL_TYPES,
  MAX_RESPONSE_BYTES,
  authHeader,
  credentialName,
  credentialUrl,
  defineNode,
  fetchFollowing,
  httpError,
  isHttpUrl,
  noAnswerError,
  readBody,
} from '../src/nodes/node-api'

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const INPUT_AS_BODY = new Set(['POST', 'PUT', 'PATCH'])

export default defineNode({
  type: 'http-request',
  title: 'HTTP request',
  description:
    'Calls any HTTP API, optionally with a stored credential (bearer, basic or a custom header). ' +
    'Without a body, POST, PUT and PATCH send the input as JSON (or as a form). Returns status, ' +
    'headers and the body; a 4xx or 5xx answer fails the step.',
  credentialTypes: HTTP_CREDENTIAL_TYPES,
  sample: {
    config: { method: 'POST', url: 'https://api.example.com/orders', sendIdempotencyKey: true },
    input: { orderId: 'A-1001', total: 42 },
  },
  config: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    url: z
      .string()
      .min(1)
      .max(8000)
      .refine(
        (url) => isHttpUrl(url) || url.startsWith('/'),
        'must be an http or https URL (or a path, with a credential that has a baseUrl)',
      )
      .describe("The URL to call; a path is resolved against the credential's baseUrl"),
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
    body: z.unknown().optional().describe('The body (a string is sent as it is)'),
    bodyFormat: z
      .enum(['json', 'form'])
      .default('json')
      .describe('How an object body is sent: JSON, or application/x-www-form-urlencoded'),
    responseFormat: z
      .enum(['auto', 'json', 'text'])
      .default('auto')
      .describe('auto: JSON when the answer says or looks so; json: must be JSON; text: as is'),
    maxResponseBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_RESPONSE_BYTES)
      .default(MAX_RESPONSE_BYTES)
      .describe('A larger answer fails the step with RESPONSE_TOO_LARGE'),
    maxRedirects: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(5)
      .describe(
        'Redirects followed (credentials go to the original origin only); 0 returns the 3xx',
      ),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(300_000)
      .optional()
      .describe('Abort the request after this long'),
    sendIdempotencyKey: z
      .boolean()
      .default(false)
      .describe(
        "Send the step's stable Idempotency-Key header, so the API can drop a repeated call",
      ),
  }),
  async run(input, ctx) {
    const { config, signal, idempotencyKey } = ctx
    const credential = config.credential ? await ctx.credential() : undefined
    const url = credentialUrl(config.url, credential)
    for (const [key, value] of Object.entries(config.query ?? {}))
      url.searchParams.set(key, String(value))

    const headers = new Headers(config.headers)
    if (config.sendIdempotencyKey && !headers.has('idempotency-key')) {
      headers.set('idempotency-key', idempotencyKey)
    }
    const credentialHeaders: string[] = []
    if (credential) {
      const [name, value] = authHeader(credential)
      headers.set(name, value)
      credentialHeaders.push(name)
    }
    const payload =
      config.body !== undefined ? config.body : INPUT_AS_BODY.has(config.method) ? input : undefined
    let body: string | undefined
    if (payload !== undefined && METHODS_WITH_BODY.has(config.method)) {
      const encoded = encodeBody(payload, config.bodyFormat)
      body = encoded.body
      if (!headers.has('content-type')) headers.set('content-type', encoded.contentType)
    }

    const signals = config.timeoutMs
      ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)])
      : signal
    // Error messages name the origin only: Slack, Discord and Telegram keep secrets in paths.
    const where = `${config.method} ${url.origin}`
    let response: Response
    let responseBody: unknown
    try {
      const followed = await fetchFollowing(
        url,
        { method: config.method, headers, body, signal: signals },
        {
          maxRedirects: config.maxRedirects,
          credentialHeaders,
          credentialBase: credential?.baseUrl ? new URL(credential.baseUrl) : undefined,
        },
      )
      response = followed.response
      // Inside the try: an API can send its headers and then stall, and the timeout covers both.
      responseBody =
        config.method === 'HEAD'
          ? null
          : await readBody(response, {
              limit: config.maxResponseBytes,
              as: response.ok ? config.responseFormat : 'auto',
            })
    } catch (error) {
      if (error instanceof AutomateError) throw error
      throw noAnswerError(where, error, signals.aborted)
    }
    if (response.status >= 400) throw httpError(response, responseBody)
    return {
      status: response.status,
      headers: recordedHeaders(response.headers),
      body: responseBody,
    }
  },
})

/**
 * The answer's headers as the step records them, without Set-Cookie: a session cookie is a
 * credential, and the step's output is shown on the run page and passed to every later node.
 */
function recordedHeaders(headers: Headers) {
  const kept: Record<string, string> = {}
  for (const [name, value] of headers) if (name !== 'set-cookie') kept[name] = value
  return kept
}

function encodeBody(payload: unknown, format: 'json' | 'form') {
  if (typeof payload === 'string')
    return { body: payload, contentType: 'text/plain; charset=utf-8' }
  if (format === 'json') return { body: JSON.stringify(payload), contentType: 'application/json' }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new AutomateError('CONFIG_INVALID', 'A form body must be an object of fields', {
      retryable: false,
      details: [{ path: 'config.body', message: 'must be an object for bodyFormat form' }],
    })
  }
  const form = new URLSearchParams()
  for (const [key, value] of Object.entries(payload)) {
    // A list repeats its key (tags=a&tags=b); an object inside a form field is sent as JSON.
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue
      form.append(key, typeof item === 'object' ? JSON.stringify(item) : String(item))
    }
  }
  return {
    body: form.toString(),
    contentType: 'application/x-www-form-urlencoded;charset=UTF-8',
  }
}
