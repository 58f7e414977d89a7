import { z } from 'zod'
import { defineNode } from '../src/nodes/define-node'
import { AutomateError } from '../src/errors'
import { httpError, readBody } from '../src/lib/http'

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const INPUT_AS_BODY = new Set(['POST', 'PUT', 'PATCH'])

export default defineNode({
  type: 'http-request',
  title: 'HTTP request',
  description:
    'Calls any HTTP API. Without a body, POST, PUT and PATCH send the input as JSON. Returns ' +
    'status, headers and the parsed body; a 4xx or 5xx answer fails the step.',
  config: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    url: z
      .string()
      .url()
      .refine((url) => /^https?:\/\//i.test(url), 'must be an http or https URL')
      .describe('The URL to call'),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers'),
    query: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
      .optional()
      .describe('Query parameters added to the URL'),
    body: z.unknown().optional().describe('JSON body (a string is sent as it is)'),
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
  async run(input, { config, signal, idempotencyKey }) {
    const url = new URL(config.url)
    for (const [key, value] of Object.entries(config.query ?? {}))
      url.searchParams.set(key, String(value))

    const headers = new Headers(config.headers)
    if (config.sendIdempotencyKey && !headers.has('idempotency-key')) {
      headers.set('idempotency-key', idempotencyKey)
    }
    const payload =
      config.body !== undefined ? config.body : INPUT_AS_BODY.has(config.method) ? input : undefined
    let body: string | undefined
    if (payload !== undefined && METHODS_WITH_BODY.has(config.method)) {
      body = typeof payload === 'string' ? payload : JSON.stringify(payload)
      if (!headers.has('content-type')) {
        headers.set(
          'content-type',
          typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
        )
      }
    }

    const signals = config.timeoutMs
      ? AbortSignal.any([signal, AbortSignal.timeout(config.timeoutMs)])
      : signal
    let response: Response
    let responseBody: unknown
    try {
      response = await fetch(url, { method: config.method, headers, body, signal: signals })
      // Inside the try: an API can send its headers and then stall, and the timeout covers both.
      responseBody = config.method === 'HEAD' ? null : await readBody(response)
    } catch (error) {
      const timedOut = signals.aborted
      throw new AutomateError(
        timedOut ? 'HTTP_TIMEOUT' : 'HTTP_NETWORK',
        timedOut
          ? `${config.method} ${url.origin}${url.pathname} did not answer in time`
          : `${config.method} ${url.origin}${url.pathname} failed: ${(error as Error)?.message ?? error}`,
        { cause: error },
      )
    }
    if (!response.ok) throw httpError(response, responseBody)
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: responseBody,
    }
  },
})
