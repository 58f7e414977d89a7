import { z } from 'zod'
import { defineNode, runCode } from '../src/nodes/node-api'

// A host name, or *. and a name for its subdomains, then an optional port.
const HOST =
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[1-9]\d{0,4})?$/i
const HOST_RULE =
  'must be a host name such as api.example.com or *.example.com, with :port for a port other ' +
  'than 80 (http) or 443 (https), e.g. localhost:8787'

export default defineNode({
  type: 'code',
  title: 'Code',
  description:
    'Runs your JavaScript, the body of an async function of input and context, in its own ' +
    'sandboxed isolate (a Dynamic Worker); its return value is the output. No network unless ' +
    'allowedHosts lists the host. Needs the Worker Loader binding (Workers Paid plan).',
  // The source is code: data reaches it as input and context, never spliced in as a template.
  verbatimFields: ['code'],
  sample: {
    config: { code: 'return { count: input.items.length }' },
    input: { items: [1, 2, 3] },
  },
  config: z.object({
    code: z
      .string()
      .min(1)
      .max(100_000)
      .describe(
        'The body of async (input, context) => { ... }, e.g. return { n: input.items.length }',
      ),
    allowedHosts: z
      .array(
        z
          .string()
          .regex(HOST, HOST_RULE)
          .refine((host) => Number(host.split(':')[1] ?? 1) <= 65_535, HOST_RULE),
      )
      .max(20)
      .default([])
      .describe(
        'Hosts the code may fetch from; none by default. A host alone allows its default port ' +
          '(80/443) only; host:port allows that port',
      ),
    cpuMs: z
      .number()
      .int()
      .min(1)
      .max(30_000)
      .default(1_000)
      .describe('CPU time the code may use per run, in milliseconds'),
  }),
  async run(input, ctx) {
    return runCode({
      code: ctx.config.code,
      input,
      // What templates see (trigger, steps, run, item, index), for code that needs more than input.
      context: ctx.templateContext ?? {},
      allowedHosts: ctx.config.allowedHosts,
      cpuMs: ctx.config.cpuMs,
    })
  },
})
