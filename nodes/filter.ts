import { z } from 'zod'
import { defineNode, haltRun } from '../src/nodes/define-node'
import { evaluateExpression, expressionError } from '../src/lib/jsonata'

export default defineNode({
  type: 'filter',
  title: 'Filter',
  description:
    'Continues only when a JSONata condition over the input is true; otherwise the run ends ' +
    'successfully here and the remaining nodes are skipped. Passes its input on unchanged.',
  config: z.object({
    condition: z
      .string()
      .min(1)
      .superRefine((source, ctx) => {
        const error = expressionError(source)
        if (error) ctx.addIssue({ code: 'custom', message: `invalid JSONata: ${error}` })
      })
      .describe('JSONata condition, e.g. amount > 100 and status = "paid"'),
  }),
  async run(input, { config }) {
    const result = await evaluateExpression(config.condition, input)
    // JSONata's own truthiness: an empty array or string, 0, null and undefined are false.
    if (!truthy(result)) return haltRun(input, `condition is false: ${config.condition}`)
    return input
  },
})

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(truthy)
  return Boolean(value)
}
