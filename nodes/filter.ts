import { z } from 'zod'
import { defineNode, evaluateExpression, haltRun, jsonataSource } from '../src/nodes/node-api'

export default defineNode({
  type: 'filter',
  title: 'Filter',
  description:
    'Continues only when a JSONata condition over the input is true; otherwise the run ends ' +
    'successfully here and the remaining nodes are skipped. Passes its input on unchanged.',
  // Computes its output from its input alone: recorded together with the next step with effects.
  pure: true,
  sample: { config: { condition: 'amount > 10' }, input: { amount: 25 } },
  config: z.object({
    condition: jsonataSource().describe('JSONata condition, e.g. amount > 100 and status = "paid"'),
  }),
  async run(input, { config }) {
    const result = await evaluateExpression(config.condition, input)
    if (!(await isTrue(result))) return haltRun(input, `condition is false: ${config.condition}`)
    return input
  },
})

/**
 * JSONata's own truthiness, from JSONata itself: an empty array, object or string, 0, null, a
 * function and no match at all are false; an array is true when any of its members is.
 */
async function isTrue(value: unknown): Promise<boolean> {
  return (await evaluateExpression('$boolean($value)', null, { value })) === true
}
