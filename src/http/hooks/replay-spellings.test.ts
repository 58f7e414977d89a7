import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow } from '../../../test/helpers'
import { hmacBytes, hmacHex, nowSeconds, toBase64 } from '../../../test/signing'
import type { SIGNATURE_PRESETS } from '../../workflow/trigger'

// Issue 20, item 2: a captured signed delivery must run once however its signature header is
// re-spelled. For every preset (the Record type makes a new preset fail to compile until it has a
// case here), one delivery is sent as the sender signs it, then under every other spelling of the
// same signature: case changes, padding removed, Stripe's elements reordered or padded with
// extra ones, spaces. Each one is refused (401) or answered as the same delivery; one run in all.

type Preset = (typeof SIGNATURE_PRESETS)[number]
type Delivery = { body: string; contentType: string; headers: Record<string, string> }
type Case = {
  /** A delivery as the sender signs it. */
  signed(secret: string): Promise<Delivery>
  /** Other spellings of the same signature: header sets for the same body. */
  spellings(signed: Delivery, secret: string): Record<string, string>[]
}

const flipCase = (text: string) =>
  [...text].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('')

/** `prefix` + hex: the same bytes in upper case, mixed case and with the prefix re-cased. */
function hexSpellings(header: string, value: string, prefix: string) {
  const digits = value.slice(prefix.length)
  return [
    { [header]: `${prefix}${digits.toUpperCase()}` },
    { [header]: `${prefix}${flipCase(digits)}` },
    { [header]: `${prefix.toUpperCase()}${digits}` },
    { [header]: `${prefix} ${digits}` },
    { [header]: `${prefix}${digits}00` },
  ]
}

const CASES: Record<Preset, Case> = {
  // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
  github: {
    async signed(secret) {
      const body = '{"action":"opened","number":1}'
      const signature = `sha256=${await hmacHex(secret, body)}`
      return {
        body,
        contentType: 'application/json',
        headers: { 'x-github-event': 'pull_request', 'x-hub-signature-256': signature },
      }
    },
    spellings: (d) =>
      hexSpellings('x-hub-signature-256', d.headers['x-hub-signature-256']!, 'sha256='),
  },
  // docs.stripe.com/webhooks#verify-manually: "t=<unix>,v1=<hex>", several v1 during a roll,
  // v0 for test mode.
  stripe: {
    async signed(secret) {
      const body = '{"id":"evt_1","object":"event","type":"invoice.paid"}'
      const t = nowSeconds()
      return {
        body,
        contentType: 'application/json',
        headers: { 'stripe-signature': `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}` },
      }
    },
    spellings(d) {
      const sent = d.headers['stripe-signature']!
      const [t, v1] = sent.split(',') as [string, string]
      const other = 'a'.repeat(64)
      return [
        `${v1},${t}`,
        `${sent},v1=00`,
        `${sent},v0=1`,
        `${sent},v0=${other}`,
        `${sent},v1=${other}`,
        `${t},v1=${other},${v1}`,
        `${t}, ${v1}`,
        `${t} ,${v1}`,
        `${t},${v1.toUpperCase().replace('V1=', 'v1=')}`,
        `${sent},${v1}`,
        `${sent},`,
      ].map((header) => ({ 'stripe-signature': header }))
    },
  },
  // api.slack.com/authentication/verifying-requests-from-slack (a slash command: no event_id,
  // so the signature is its delivery id)
  slack: {
    async signed(secret) {
      const body = 'command=%2Fdeploy&text=prod&user_id=U2CERLKJA'
      const t = String(nowSeconds())
      const signature = `v0=${await hmacHex(secret, `v0:${t}:${body}`)}`
      return {
        body,
        contentType: 'application/x-www-form-urlencoded',
        headers: { 'x-slack-request-timestamp': t, 'x-slack-signature': signature },
      }
    },
    spellings: (d) =>
      hexSpellings('x-slack-signature', d.headers['x-slack-signature']!, 'v0=').map((h) => ({
        ...h,
        'x-slack-request-timestamp': d.headers['x-slack-request-timestamp']!,
      })),
  },
  // shopify.dev/docs/apps/build/webhooks/verify-deliveries: base64 HMAC-SHA256 of the body
  shopify: {
    async signed(secret) {
      const body = '{"id":820982911946154508,"email":"jon@example.com"}'
      return {
        body,
        contentType: 'application/json',
        headers: { 'x-shopify-hmac-sha256': toBase64(await hmacBytes(secret, body)) },
      }
    },
    spellings(d) {
      const sent = d.headers['x-shopify-hmac-sha256']!
      const last = sent.at(-2)!
      // The last character before '=' carries 2 unused bits: another character decodes the same.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      const alias = alphabet[alphabet.indexOf(last) ^ 1]!
      return [
        sent.replace(/=+$/, ''),
        sent.replace(/\+/g, '-').replace(/\//g, '_'),
        `${sent.slice(0, 20)} ${sent.slice(20)}`,
        `${sent.slice(0, -2)}${alias}=`,
        `${sent}==`,
      ].map((header) => ({ 'x-shopify-hmac-sha256': header }))
    },
  },
  // developers.notion.com/reference/webhooks ("Step 3 - Validating event payloads")
  notion: {
    async signed(secret) {
      const body = JSON.stringify({
        id: '67890abc-1234-5678-9abc-def012345678',
        timestamp: '2026-04-25T14:30:00.000Z',
        type: 'page.properties_updated',
        entity: { id: 'ffffeeee-dddd-cccc-bbbb-aaaa99998888', type: 'page' },
        data: { updated_properties: ['title'] },
      })
      return {
        body,
        contentType: 'application/json',
        headers: { 'x-notion-signature': `sha256=${await hmacHex(secret, body)}` },
      }
    },
    spellings: (d) =>
      hexSpellings('x-notion-signature', d.headers['x-notion-signature']!, 'sha256='),
  },
}

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}

async function signedWorkflow(signature: Record<string, unknown>, secret: string) {
  const name = `sig-${crypto.randomUUID().slice(0, 8)}`
  const created = await admin('/api/credentials', {
    method: 'POST',
    json: { name, type: 'webhook-secret', data: { secret } },
  })
  expect(created.status).toBe(201)
  return createWorkflow({
    name: 'signed',
    trigger: { type: 'webhook', signature: { ...signature, secret: name } },
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
  })
}

const post = (url: string, d: Delivery, headers: Record<string, string>) =>
  SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': d.contentType, ...headers },
    body: d.body,
  })

/** Sends the delivery, then each spelling: each is refused or the same run, and one run in all. */
async function sendSpellings(
  url: string,
  workflowId: string,
  d: Delivery,
  spellings: Record<string, string>[],
) {
  const first = await post(url, d, d.headers)
  expect(first.status).toBe(202)
  const { runId } = (await first.json()) as { runId: string }
  for (const headers of spellings) {
    const answer = await post(url, d, { ...d.headers, ...headers })
    const body = (await answer.json()) as { runId?: string; duplicate?: boolean }
    if (answer.status === 401) continue
    expect({ headers, status: answer.status, body }).toEqual({
      headers,
      status: 200,
      body: expect.objectContaining({ runId, duplicate: true }),
    })
  }
  expect(await runCount(workflowId)).toBe(1)
}

describe('a signed delivery runs once, however its signature is spelled', () => {
  it.each(Object.keys(CASES) as Preset[])('%s', async (preset) => {
    const secret = `whsec_${crypto.randomUUID()}`
    const workflow = await signedWorkflow({ preset }, secret)
    const delivery = await CASES[preset].signed(secret)
    const spellings = CASES[preset].spellings(delivery, secret)
    expect(spellings.length).toBeGreaterThan(3)
    await sendSpellings(workflow.webhookUrl, workflow.id, delivery, spellings)
  })

  it('the generic HMAC rule: hex in either case is one delivery, base64 only canonical', async () => {
    const secret = `generic-${crypto.randomUUID()}`
    const hexFlow = await signedWorkflow({ header: 'X-Signature', prefix: 'sha256=' }, secret)
    const body = '{"order":7}'
    const digits = await hmacHex(secret, body)
    const delivery = {
      body,
      contentType: 'application/json',
      headers: { 'x-signature': `sha256=${digits}` },
    }
    const upper = { 'x-signature': `sha256=${digits.toUpperCase()}` }
    await sendSpellings(hexFlow.webhookUrl, hexFlow.id, delivery, [
      upper,
      { 'x-signature': `sha256=${flipCase(digits)}` },
    ])

    const b64Flow = await signedWorkflow({ header: 'X-Signature', encoding: 'base64' }, secret)
    const b64 = toBase64(await hmacBytes(secret, body))
    const b64Delivery = { ...delivery, headers: { 'x-signature': b64 } }
    const unpadded = await post(b64Flow.webhookUrl, b64Delivery, {
      'x-signature': b64.replace(/=+$/, ''),
    })
    expect(unpadded.status).toBe(401)
    await sendSpellings(b64Flow.webhookUrl, b64Flow.id, b64Delivery, [
      { 'x-signature': `${b64}==` },
    ])
  })
})
