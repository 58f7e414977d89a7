import { z } from 'zod'
import { RESPONSE_HEADERS_RULE, defineNode, isResponseHeaderAllowed } from '../src/nodes/node-api'

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
      .superRefine((headers, ctx) => {
        // The answer shares the admin page's origin: only listed headers, so a workflow cannot
        // replace the security headers, allow other origins in, or clear the admin's cookies.
        for (const name of Object.keys(headers)) {
          if (isResponseHeaderAllowed(name)) continue
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `${name} cannot be set by respond; allowed: ${RESPONSE_HEADERS_RULE}`,
          })
        }
      })
      .describe(
        `extra response headers, e.g. { "content-type": "text/html" }; allowed: ${RESPONSE_HEADERS_RULE}`,
      ),
  }),
  run(input, { config }) {
    return {
      status: config.status,
      headers: config.headers,
      body: config.body === undefined ? input : config.body,
    }
  },
})
