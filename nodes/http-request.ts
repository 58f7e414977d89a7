import { z } from 'zod'
import {
  AutomateError,
  HTTP_CREDENTIAL_TYPES,
  MAX_RESPONSE_BYTES,
  appendQuery,
  authenticate,
  connectedAccess,
  credentialName,
  credentialUrl,
  defineNode,
  encodeBody,
  fetchFollowing,
  httpError,
  isHttpUrl,
  noAnswerError,
  oauthApiUrl,
  readAnswer,
  refused,
  withAccessToken,
} from '../src/nodes/node-api'

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const INPUT_AS_BODY = new Set(['POST', 'PUT', 'PATCH'])
/** How much longer than the request's own timeoutMs its step may take. */
const TIMEOUT_GRACE_MS = 5_000

export default defineNode({
  type: 'http-request',
  title: 'HTTP request',
  description:
    'Calls any HTTP API, optionally with a stored credential (bearer, basic, a custom header, a ' +
    'query key, OAuth2 client credentials, or a connected oauth2 account). Without a body, POST, PUT and PATCH send the input ' +
    'as JSON (or as a form). Returns status, headers and the body (a binary one as base64); a ' +
    '4xx or 5xx answer fails the step.',
  credentialTypes: [...HTTP_CREDENTIAL_TYPES, 'oauth2'],
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
        'A stored http-bearer, http-basic, http-header, http-query or http-oauth2-client ' +
          'credential, sent only under its baseUrl; or a connected oauth2 credential, whose ' +
          "access token is sent only to its provider's API (or under its baseUrl)",
      ),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers'),
    query: z
      .record(
        z.string(),
        z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]),
      )
      .optional()
      .describe(
        "Query parameters appended to the URL's own query, which is sent exactly as written " +
          '(a pre-signed URL keeps its signature); a list repeats its name',
      ),
    body: z
      .unknown()
      .optional()
      .describe(
        'The body (a string is sent as it is); for multipart, an object of fields, where ' +
          '{ "base64", "filename"?, "contentType"? } is a file',
      ),
    bodyFormat: z
      .enum(['json', 'form', 'multipart'])
      .default('json')
      .describe(
        'How an object body is sent: JSON, application/x-www-form-urlencoded, or ' +
          'multipart/form-data (its content type, with the boundary, is always set here)',
      ),
    responseFormat: z
      .enum(['auto', 'json', 'text', 'base64'])
      .default('auto')
      .describe(
        'auto: JSON when the answer says or looks so, text for a text type, and ' +
          '{ base64, contentType, size } for any other (an image, a PDF); json: must be JSON; ' +
          'text: as is; base64: always the bytes',
      ),
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
      .describe("Abort the request after this long; the step's own timeout grows to fit it"),
    sendIdempotencyKey: z
      .boolean()
      .default(false)
      .describe(
        "Send the step's stable Idempotency-Key header, so the API can drop a repeated call",
      ),
  }),
  // The request's own timeout, not the step's 30 s default, decides how long it may take: the
  // step waits a little longer, so the request's clearer HTTP_TIMEOUT is what a slow API meets.
  timeoutFor: (config) =>
    typeof config.timeoutMs === 'number' ? config.timeoutMs + TIMEOUT_GRACE_MS : undefined,
  async run(input, ctx) {
    const { config, signal, idempotencyKey } = ctx
    const credential = config.credential ? await ctx.credential() : undefined
    // An oauth2 account's token goes only to its provider's API: checked before anything is sent.
    const oauth = credential?.type === 'oauth2' ? oauthApiUrl(config.url, credential) : undefined
    let url = appendQuery(oauth ? oauth.url : credentialUrl(config.url, credential), config.query)

    const headers = new Headers(config.headers)
    if (config.sendIdempotencyKey && !headers.has('idempotency-key')) {
      headers.set('idempotency-key', idempotencyKey)
    }
    const credentialHeaders: string[] = []
    if (credential && credential.type !== 'oauth2') {
      const authenticated = await authenticate(credential, url, headers, signal)
      url = authenticated.url
      credentialHeaders.push(...authenticated.credentialHeaders)
    }
    if (oauth) credentialHeaders.push('authorization')
    const payload =
      config.body !== undefined ? config.body : INPUT_AS_BODY.has(config.method) ? input : undefined
    let body: string | FormData | undefined
    if (payload !== undefined && METHODS_WITH_BODY.has(config.method)) {
      const encoded = encodeBody(payload, config.bodyFormat)
      body = encoded.body
      // FormData: fetch writes multipart/form-data with its boundary, which no header may replace.
      if (encoded.contentType === undefined) headers.delete('content-type')
      else if (!headers.has('content-type')) headers.set('content-type', encoded.contentType)
    }

    const signals = config.timeoutMs
      ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)])
      : signal
    // Error messages name the origin only: Slack, Discord and Telegram keep secrets in paths.
    const where = `${config.method} ${url.origin}`
    const credentialBase = oauth
      ? oauth.base
      : credential?.baseUrl
        ? new URL(credential.baseUrl)
        : undefined
    const send = async () => {
      let response: Response
      let responseBody: unknown
      try {
        const followed = await fetchFollowing(
          url,
          { method: config.method, headers, body, signal: signals },
          { maxRedirects: config.maxRedirects, credentialHeaders, credentialBase },
        )
        response = followed.response
        // Inside the try: an API can send its headers and then stall, and the timeout covers both.
        responseBody =
          config.method === 'HEAD'
            ? null
            : await readAnswer(response, {
                limit: config.maxResponseBytes,
                as: response.ok ? config.responseFormat : 'auto',
              })
      } catch (error) {
        if (error instanceof AutomateError) throw error
        throw noAnswerError(where, error, signals.aborted)
      }
      if (response.status === 401 && credential && credential.type !== 'oauth2')
        await refused(credential)
      if (response.status >= 400) throw httpError(response, responseBody)
      return {
        status: response.status,
        headers: recordedHeaders(response.headers),
        body: responseBody,
      }
    }
    if (!oauth || credential?.type !== 'oauth2') return send()
    // As the app clients do: the fresh access token, renewed once after the API answers 401.
    return withAccessToken(connectedAccess(credential), (token) => {
      headers.set('authorization', `Bearer ${token}`)
      return send()
    })
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
