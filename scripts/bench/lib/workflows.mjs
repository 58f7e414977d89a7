// The workflows and the payload every scenario uses, stored as the API would store them.

/** A webhook body of about 1 KB (a typical order event). */
export function payload(seq = 0) {
  return {
    id: `evt_${String(seq).padStart(8, '0')}`,
    type: 'order.created',
    amount: 4200,
    currency: 'EUR',
    customer: { id: 'cus_0001', email: 'ada@example.com', name: 'Ada Lovelace', country: 'GB' },
    items: Array.from({ length: 6 }, (_, i) => ({
      sku: `SKU-${1000 + i}`,
      title: `Item number ${i}`,
      quantity: 1 + (i % 3),
      price: 700,
    })),
    note: 'x'.repeat(429),
  }
}

const transform = (id, step) => ({
  id,
  type: 'transform',
  config: { expression: `$merge([$, { "step": ${step} }])` },
})

export function workflow(name, nodes) {
  return { name, enabled: true, trigger: { type: 'webhook' }, onError: 'stop', nodes }
}

export const ingestWorkflow = () => workflow('bench ingest', [transform('shape', 1)])

export const endToEndWorkflow = (sinkUrl) =>
  workflow('bench end to end', [
    transform('shape', 1),
    transform('enrich', 2),
    {
      id: 'deliver',
      type: 'http-request',
      config: { method: 'POST', url: sinkUrl, sendIdempotencyKey: true },
    },
  ])

export const cheapWorkflow = (count) =>
  workflow(
    `bench ${count} transforms`,
    Array.from({ length: count }, (_, i) => transform(`t${i}`, i)),
  )

/** The cost scenario's 5-node example: transform → filter → transform → transform → transform. */
export const fiveNodeWorkflow = () =>
  workflow('bench five nodes', [
    transform('shape', 1),
    { id: 'only-paid', type: 'filter', config: { condition: 'amount > 0' } },
    transform('enrich', 2),
    transform('format', 3),
    transform('finish', 4),
  ])

/** The soak scenario's workflow, as the burst ran it: transform → http-request. */
export const soakWorkflow = (sinkUrl) =>
  workflow('bench soak', [
    transform('shape', 1),
    {
      id: 'deliver',
      type: 'http-request',
      config: { method: 'POST', url: sinkUrl, sendIdempotencyKey: true },
    },
  ])
