import { describe, expect, it } from 'vitest'
import { AutomateError } from '../src/errors'
import { nodeContext } from '../test/node-context'
import { admin } from '../test/helpers'
import transform from './transform'

async function evaluate(expression: string, input: unknown) {
  // Through JSON, as the engine records it: JSONata marks its result arrays with extra fields.
  return JSON.parse(
    JSON.stringify(await transform.run(input, nodeContext(transform, { expression }))),
  )
}

const order = {
  id: 42,
  customer: { name: 'Ada Lovelace', email: 'ada@example.com' },
  items: [
    { sku: 'pen', price: 2.5, qty: 4 },
    { sku: 'book', price: 30, qty: 1 },
    { sku: 'lamp', price: 45, qty: 2 },
  ],
}

describe('transform', () => {
  it('builds a new object from the fields of the input', async () => {
    const expression = '{ "orderId": id, "to": customer.email, "skus": items.sku }'
    expect(await evaluate(expression, order)).toEqual({
      orderId: 42,
      to: 'ada@example.com',
      skus: ['pen', 'book', 'lamp'],
    })
  })

  it('filters and maps arrays', async () => {
    expect(await evaluate('items[price > 10].{ "sku": sku, "total": price * qty }', order)).toEqual(
      [
        { sku: 'book', total: 30 },
        { sku: 'lamp', total: 90 },
      ],
    )
  })

  it('works over an array input', async () => {
    expect(await evaluate('$sum($.price)', order.items)).toBe(77.5)
    expect(await evaluate('$count($)', [])).toBe(0)
  })

  it('has the JSONata functions: $sum, $uppercase, & and more', async () => {
    const expression = `{
      "total": $sum(items.(price * qty)),
      "name": $uppercase(customer.name),
      "subject": "Order #" & id & " for " & customer.name,
      "biggest": $max(items.price),
      "skus": $join(items.sku, ", ")
    }`
    expect(await evaluate(expression, order)).toEqual({
      total: 130,
      name: 'ADA LOVELACE',
      subject: 'Order #42 for Ada Lovelace',
      biggest: 45,
      skus: 'pen, book, lamp',
    })
  })

  it('returns null, not undefined, when the expression matches nothing', async () => {
    const result = await transform.run(
      order,
      nodeContext(transform, { expression: 'customer.phone' }),
    )
    expect(result).toBeNull()
  })

  it('returns a constant whatever the input', async () => {
    expect(await evaluate('"fixed"', null)).toBe('fixed')
  })

  it.each([
    [
      'a syntax error',
      '{ "a": ',
      'invalid JSONata: Expected "}" before end of expression (at character 7)',
    ],
    [
      'an unclosed string',
      '"abc',
      'invalid JSONata: String literal must be terminated by a matching quote (at character 4)',
    ],
  ])("rejects %s in its config with JSONata's own words", (_, expression, message) => {
    const parsed = transform.config.safeParse({ expression })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({ path: ['expression'], message }),
    ])
  })

  it('rejects an empty or missing expression with one issue', () => {
    for (const config of [{ expression: '' }, {}]) {
      const parsed = transform.config.safeParse(config)
      expect(parsed.success).toBe(false)
      expect(parsed.error!.issues).toEqual([expect.objectContaining({ path: ['expression'] })])
    }
  })

  it.each([
    ['a function that does not exist', '$nope()'],
    ['a number added to a string', 'id + customer.name'],
  ])('fails with EXPRESSION_FAILED on %s, for good', async (_, expression) => {
    const run = transform.run(order, nodeContext(transform, { expression }))
    await expect(run).rejects.toBeInstanceOf(AutomateError)
    await expect(run).rejects.toMatchObject({
      code: 'EXPRESSION_FAILED',
      retryable: false,
      message: expect.stringMatching(/^JSONata evaluation failed: .+/),
      details: { expression },
    })
  })

  it('is refused when a workflow is saved with a bad expression, naming the field', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'broken',
        nodes: [
          { id: 'ok', type: 'transform', config: { expression: '$' } },
          { id: 'bad', type: 'transform', config: { expression: '{ "a": ' } },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as {
      error: { code: string; details: { path: string; message: string }[] }
    }
    expect(error.details).toEqual([
      {
        path: 'nodes.1.config.expression',
        message: expect.stringMatching(/^invalid JSONata: .+/),
      },
    ])
  })
})
