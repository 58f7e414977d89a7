import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, fakeUpstream, postWebhook, waitForRun } from '../helpers'

// Shopify's order and customer ids are 64-bit numbers in its JSON; beyond 2^53 JSON.parse would
// round them (820982911946154508 → 820982911946154500). They arrive as strings of the exact
// digits and stay so through templates, D1 and the request a node sends (issue 20, item 6).
const ORDER = '820982911946154508'
const CUSTOMER = '115310627314723954'
const VARIANT = '9223372036854775807'
const BODY =
  `{"id":${ORDER},"total":"10.00","count":3,"customer":{"id":${CUSTOMER}},` +
  `"line_items":[{"variant_id":${VARIANT},"quantity":1}]}`

async function shopifyHmac(secret: string, body: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))
  return btoa(String.fromCharCode(...new Uint8Array(mac)))
}

describe('integers beyond 2^53 from a webhook', () => {
  it('reach the run input, templates, D1 and an outgoing body as the exact digits sent', async () => {
    const upstream = fakeUpstream()
    const secret = `shopify-${crypto.randomUUID().slice(0, 8)}`
    const created = await admin('/api/credentials', {
      method: 'POST',
      json: { name: secret, type: 'webhook-secret', data: { secret: 'shpss_client_secret' } },
    })
    expect(created.status).toBe(201)
    const workflow = await createWorkflow({
      name: 'shopify order',
      trigger: { type: 'webhook', signature: { preset: 'shopify', secret } },
      nodes: [
        {
          id: 'shape',
          type: 'transform',
          config: {
            expression:
              '{ "order": id, "note": "Order " & id, "variants": line_items.variant_id, ' +
              '"isText": $type(id) }',
          },
        },
        {
          id: 'send',
          type: 'http-request',
          config: {
            method: 'POST',
            url: upstream.url('/orders'),
            body: {
              order_id: '{{ steps.shape.output.order }}',
              customer: '{{ run.input.customer.id }}',
              variants: '{{ steps.shape.output.variants }}',
              text: '{{ steps.shape.output.note }} for {{ run.input.customer.id }}',
              count: '{{ run.input.count }}',
            },
          },
        },
        {
          // A text body is sent as written: the way to send one as a JSON number again.
          id: 'as-number',
          type: 'http-request',
          config: {
            method: 'POST',
            url: upstream.url('/numbers'),
            headers: { 'content-type': 'application/json' },
            body: '{"order_id":{{ run.input.id }}}',
          },
        },
      ],
    })

    const response = await postWebhook(workflow, BODY, {
      'x-shopify-hmac-sha256': await shopifyHmac('shpss_client_secret', BODY),
    })
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.status).toBe('succeeded')

    expect(run.input).toEqual({
      id: ORDER,
      total: '10.00',
      count: 3,
      customer: { id: CUSTOMER },
      line_items: [{ variant_id: VARIANT, quantity: 1 }],
    })
    expect(run.steps[0]!.output).toEqual({
      order: ORDER,
      note: `Order ${ORDER}`,
      variants: VARIANT,
      isText: 'string',
    })

    // As D1 holds them, not only as the API answers.
    const stored = await env.DB.prepare('SELECT input FROM runs WHERE id = ?')
      .bind(run.id)
      .first<{ input: string }>()
    expect(stored!.input).toContain(`"id":"${ORDER}"`)
    const step = await env.DB.prepare('SELECT output FROM steps WHERE run_id = ? AND node_id = ?')
      .bind(run.id, 'shape')
      .first<{ output: string }>()
    expect(step!.output).toContain(`"order":"${ORDER}"`)

    const { requests } = await upstream.received()
    expect(requests.map((r) => r.path)).toEqual(['/orders', '/numbers'])
    expect(requests[0]!.body).toEqual({
      order_id: ORDER,
      customer: CUSTOMER,
      variants: VARIANT,
      text: `Order ${ORDER} for ${CUSTOMER}`,
      count: 3,
    })
    expect(requests[1]!.text).toBe(`{"order_id":${ORDER}}`)
  })

  it("keep their digits in an API's answer, the step's output", async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/orders/1',
        responses: [
          {
            headers: { 'content-type': 'application/json' },
            body: `{"order":{"id":${ORDER},"line_items":[{"id":${VARIANT},"price":"9.50"}]}}`,
          },
        ],
      },
    ])
    const workflow = await createWorkflow({
      name: 'look up',
      nodes: [{ id: 'get', type: 'http-request', config: { url: upstream.url('/orders/1') } }],
    })
    const run = await waitForRun(
      ((await (await postWebhook(workflow, {})).json()) as { runId: string }).runId,
    )
    expect(run.status).toBe('succeeded')
    expect((run.output as { body: unknown }).body).toEqual({
      order: { id: ORDER, line_items: [{ id: VARIANT, price: '9.50' }] },
    })
  })

  it('keep their digits in a run started by hand through the admin API', async () => {
    const workflow = await createWorkflow({
      name: 'by hand',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const response = await admin(`/api/workflows/${workflow.id}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"ids":[${ORDER},-${VARIANT}],"safe":9007199254740991}`,
    })
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.output).toEqual({ ids: [ORDER, `-${VARIANT}`], safe: 9007199254740991 })
  })
})
