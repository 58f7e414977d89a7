import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForRun } from '../../../test/helpers'

const encoder = new TextEncoder()
async function hmacHex(secret: string, data: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const bytes = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const echo = [{ id: 'echo', type: 'transform', config: { expression: '$' } }]

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}

async function stripeWorkflow(extra: Record<string, unknown> = {}) {
  const name = `stripe-${crypto.randomUUID().slice(0, 8)}`
  const created = await admin('/api/credentials', {
    method: 'POST',
    json: { name, type: 'webhook-secret', data: { secret: 'whsec_from_the_dashboard' } },
  })
  expect(created.status).toBe(201)
  return createWorkflow({
    name: 'stripe events',
    trigger: { type: 'webhook', signature: { preset: 'stripe', secret: name }, ...extra },
    nodes: echo,
  })
}

async function stripeHeader(body: string, t = Math.floor(Date.now() / 1000)) {
  return `t=${t},v1=${await hmacHex('whsec_from_the_dashboard', `${t}.${body}`)}`
}

describe('signed webhooks with presets', () => {
  it('github: accepts the published example with the secret from a Worker secret', async () => {
    const workflow = await createWorkflow({
      name: 'github',
      trigger: {
        type: 'webhook',
        signature: { preset: 'github', secret: 'GITHUB_WEBHOOK_SECRET' },
      },
      nodes: echo,
    })
    const response = await postWebhook(workflow, 'Hello, World!', {
      'content-type': 'text/plain',
      'x-hub-signature-256':
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    })
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.output).toBe('Hello, World!')
  })

  it('stripe: a webhook-secret credential signs; wrong and stale signatures get 401 and start nothing', async () => {
    const workflow = await stripeWorkflow()
    const body = '{"id":"evt_1","type":"invoice.paid"}'

    const wrong = await postWebhook(workflow, body, {
      'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toMatchObject({ error: { code: 'SIGNATURE_INVALID' } })

    const stale = await postWebhook(workflow, body, {
      'stripe-signature': await stripeHeader(body, Math.floor(Date.now() / 1000) - 600),
    })
    expect(stale.status).toBe(401)
    const staleError = ((await stale.json()) as { error: { code: string; message: string } }).error
    expect(staleError.code).toBe('SIGNATURE_STALE')
    expect(staleError.message).toMatch(/timestamp is \d+ s old/)

    const good = await postWebhook(workflow, body, { 'stripe-signature': await stripeHeader(body) })
    expect(good.status).toBe(202)
    const run = await waitForRun(((await good.json()) as { runId: string }).runId)
    expect(run.output).toEqual({ id: 'evt_1', type: 'invoice.paid' })
    expect(await runCount(workflow.id)).toBe(1)
  })

  it('a replayed signed delivery is a duplicate, even under a new Idempotency-Key', async () => {
    const workflow = await stripeWorkflow()
    const body = '{"id":"evt_2"}'
    const headers = { 'stripe-signature': await stripeHeader(body) }
    const first = await postWebhook(workflow, body, { ...headers, 'idempotency-key': 'a' })
    const replay = await postWebhook(workflow, body, { ...headers, 'idempotency-key': 'b' })
    expect(first.status).toBe(202)
    expect(replay.status).toBe(200)
    const [a, b] = (await Promise.all([first.json(), replay.json()])) as { runId: string }[]
    expect(b).toMatchObject({ runId: a!.runId, duplicate: true })
  })

  it("a configured dedupe wins over the sender's Idempotency-Key", async () => {
    const workflow = await createWorkflow({
      name: 'dedupe by id',
      trigger: { type: 'webhook', dedupe: { path: 'id' } },
      nodes: echo,
    })
    const first = await postWebhook(workflow, { id: 'order-7' }, { 'idempotency-key': 'one' })
    const again = await postWebhook(workflow, { id: 'order-7' }, { 'idempotency-key': 'two' })
    expect([first.status, again.status]).toEqual([202, 200])
    expect(await again.json()).toMatchObject({ duplicate: true })
  })

  it('refuses to save a signature secret named ADMIN_TOKEN or ENCRYPTION_KEY', async () => {
    for (const secret of ['ADMIN_TOKEN', 'ENCRYPTION_KEY']) {
      for (const signature of [
        { preset: 'github', secret },
        { header: 'X-Sig', secret },
      ]) {
        const response = await admin('/api/workflows', {
          method: 'POST',
          json: { name: 'x', trigger: { type: 'webhook', signature }, nodes: echo },
        })
        expect(response.status).toBe(400)
        const body = (await response.json()) as { error: { details: { path: string }[] } }
        expect(body.error.details.map((d) => d.path)).toEqual(['trigger.signature.secret'])
      }
    }
  })

  it('a secret that is neither a Worker secret nor a credential is a 500 that does not name it', async () => {
    const workflow = await createWorkflow({
      name: 'unset',
      trigger: { type: 'webhook', signature: { preset: 'shopify', secret: 'NOBODY_SET_THIS' } },
      nodes: echo,
    })
    const response = await postWebhook(workflow, '{}', { 'x-shopify-hmac-sha256': 'AAAA' })
    expect(response.status).toBe(500)
    const text = await response.text()
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'SIGNATURE_SECRET_MISSING' } })
    expect(text).not.toContain('NOBODY_SET_THIS')
  })
})
