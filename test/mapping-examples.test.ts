import { describe, expect, it } from 'vitest'
import { createWorkflow, fakeUpstream, postAndWait } from './helpers'

// Read like test/examples.test.ts does (a glob, not an import), so the type check needs no examples/.
const files = import.meta.glob<{ default: unknown }>('../examples/**/order-to-team-message.json', {
  eager: true,
})
const teamMessage = files['../examples/order-to-team-message.json']!.default
const teamMessagePayload = files['../examples/payloads/order-to-team-message.json']!.default

// The three worked examples of the README's "Mapping data" section, against a fake upstream.
const order = {
  id: 'ord_1001',
  customerId: 'cus/42',
  status: 'paid',
  currency: 'EUR',
  customer: { name: 'Ada Lovelace' },
  items: [
    { sku: 'pen', qty: 4, price: 2.5 },
    { sku: 'lamp', qty: 1, price: 1234 },
  ],
}

describe('README mapping examples', () => {
  it('builds a Discord-style message text from an order', async () => {
    const discord = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'Announce',
      nodes: [
        {
          id: 'announce',
          type: 'http-request',
          config: {
            method: 'POST',
            url: discord.url('/api/webhooks/1/abc'),
            body: {
              content:
                "New order {{ input.id }} from {{ input.customer.name }}: {{ $count(input.items) }} item(s), {{ $formatNumber($sum(input.items.(qty * price)), '#,##0.00') }} {{ input.currency }}",
            },
          },
        },
      ],
    })
    expect((await postAndWait(workflow, order)).status).toBe('succeeded')
    expect((await discord.received()).requests.map((r) => r.body)).toEqual([
      { content: 'New order ord_1001 from Ada Lovelace: 2 item(s), 1,244.00 EUR' },
    ])
  })

  it('builds a URL with a path and a query from the payload, and a header from an earlier step', async () => {
    const api = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'Fetch customer',
      nodes: [
        { id: 'lookup', type: 'set', config: { fields: { account: 'acc-9' }, keepInput: true } },
        {
          id: 'fetch-customer',
          type: 'http-request',
          config: {
            url: `${api.base}/v1/customers/{{ $encodeUrlComponent(input.customerId) }}/orders?status={{ input.status }}&limit={{ input.limit ?? 20 }}`,
            headers: {
              'X-Request-Id': '{{ run.id }}',
              'X-Account': '{{ steps.lookup.output.account }}',
            },
          },
        },
      ],
    })
    const run = await postAndWait(workflow, order)
    expect(run.status).toBe('succeeded')
    const [request] = (await api.received()).requests
    expect(request).toMatchObject({
      method: 'GET',
      path: '/v1/customers/cus%2F42/orders',
      query: { status: 'paid', limit: '20' },
    })
    expect(request!.headers['x-request-id']).toBe(run.id)
    expect(request!.headers['x-account']).toBe('acc-9')
  })

  it('runs a forEach over line items', async () => {
    const stock = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'Reserve',
      nodes: [
        {
          id: 'reserve',
          type: 'http-request',
          forEach: '{{ input.items }}',
          onError: 'continue',
          config: {
            method: 'POST',
            url: `${stock.base}/reserve/{{ item.sku }}`,
            body: { order: '{{ run.input.id }}', line: '{{ index }}', qty: '{{ item.qty }}' },
            sendIdempotencyKey: true,
          },
        },
      ],
    })
    const run = await postAndWait(workflow, order)
    expect(run.status).toBe('succeeded')
    expect((run.output as unknown[]).length).toBe(2)
    expect((await stock.received()).requests.map((r) => [r.path, r.body])).toEqual([
      ['/reserve/pen', { order: 'ord_1001', line: 0, qty: 4 }],
      ['/reserve/lamp', { order: 'ord_1001', line: 1, qty: 1 }],
    ])
  })

  it('examples/order-to-team-message.json writes the message npm start users see', async () => {
    const run = await postAndWait(await createWorkflow(teamMessage), teamMessagePayload)
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(run.output).toEqual({
      text: 'Order ord_2001 from Grace Hopper: 3 × Notebook at 4.50, 1 × Desk lamp at 89.00; total 102.50 EUR (big order: ship express)',
      total: 102.5,
    })
  })
})
