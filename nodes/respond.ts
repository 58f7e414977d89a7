import { z } from 'zod'
import { defineNode } from '../src/nodes/node-api'

/**
 * Headers the platform sets itself (a workflow setting them would corrupt the answer), and
 * set-cookie: the webhook shares its origin with the admin page, whose session is a cookie.
 */
const RESERVED = new Set(['content-length', 'transfer-encoding', 'connection', 'set-cookie'])

export default defineNode({
  type: 'respond',
  title: 'Respond to the webhook',
  description:
    'Sets the answer a webhook with "respond": "sync" gives its caller: status, body and ' +
    'headers. The caller gets it as soon as this step is recorded; later nodes run on. ' +
    'Its output is the response { status, headers, body }.',
  answers: true,
  sample: {
    config: { status: 201, body: { received: true }, headers: { 'x-request-id': 'r-1' } },
    input: { email: 'ada@example.com' },
  },
  config: z.object({
    status: z.number().int().min(200).max(599).default(200).describe('HTTP status, 200-599'),
    body: z
      .unknown()
      .optional()
      .describe(
        'the answer body (a template, e.g. "{{ steps.shape.output }}"); default: the input',
      ),
    headers: z
      .record(z.string(), z.string())
      .default({})
      .refine(
        (headers) => Object.keys(headers).every((name) => !RESERVED.has(name.toLowerCase())),
        'content-length, transfer-encoding, connection and set-cookie cannot be set',
      )
      .describe('extra response headers, e.g. { "content-type": "text/html" }'),
  }),
  run(input, { config }) {
    return {
      status: config.status,
      headers: config.headers,
      body: config.body === undefined ? input : config.body,
    }
  },
})
