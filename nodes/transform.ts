import { z } from 'zod'
import { defineNode, evaluateExpression, jsonataSource } from '../src/nodes/node-api'

export default defineNode({
  type: 'transform',
  title: 'Transform',
  description: 'Reshapes the input with a JSONata expression; the result is the output.',
  // Computes its output from its input alone: recorded together with the next step with effects.
  pure: true,
  sample: {
    config: { expression: '{ "text": "New order from " & customer.name }' },
    input: { customer: { name: 'Ada' } },
  },
  config: z.object({
    expression: jsonataSource().describe(
      'JSONata expression evaluated over the input, e.g. { "text": "Hi " & name }',
    ),
  }),
  async run(input, { config }) {
    // JSONata yields undefined for "no match"; JSON has no undefined, so it becomes null.
    return (await evaluateExpression(config.expression, input)) ?? null
  },
})
