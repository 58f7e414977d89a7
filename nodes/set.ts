import { z } from 'zod'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'set',
  title: 'Set fields',
  description:
    'Builds an object from named fields, each a value or a template such as ' +
    '"{{ input.customer.email }}" (the "Edit fields" step). With keepInput, the fields are set ' +
    'on a copy of the input object instead.',
  sample: {
    config: { fields: { source: 'webhook', priority: 2 }, keepInput: true },
    input: { email: 'ada@example.com' },
  },
  pure: true,
  config: z.object({
    fields: z
      .record(z.string().min(1).max(200), z.unknown())
      .describe('Names to values or templates, e.g. { "email": "{{ input.customer.email }}" }'),
    keepInput: z
      .boolean()
      .default(false)
      .describe('Start from the input object (when it is one) and set the fields on it'),
  }),
  run(input, { config }) {
    // The engine has filled the templates in already: what is left is to shape the output.
    const base =
      config.keepInput && input !== null && typeof input === 'object' && !Array.isArray(input)
        ? input
        : {}
    return { ...base, ...config.fields }
  },
})
