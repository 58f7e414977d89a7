import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, waitForAccepted } from '../../../test/helpers'

// GitHub's documented test vector: this secret over "Hello, World!" gives this signature.
const BODY = 'Hello, World!'
const GITHUB_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'

async function signedWorkflow(extra: Record<string, unknown> = {}) {
  return createWorkflow({
    name: 'signed',
    trigger: {
      type: 'webhook',
      signature: {
        header: 'X-Hub-Signature-256',
        secret: 'GITHUB_WEBHOOK_SECRET',
        prefix: 'sha256=',
        ...extra,
      },
    },
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
  })
}

const send = (url: string, headers: Record<string, string>, body = BODY) =>
  SELF.fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body })

describe('webhook signatures', () => {
  it('accepts a body signed with the secret, as GitHub signs it', async () => {
    const workflow = await signedWorkflow()
    const response = await send(workflow.webhookUrl, { 'x-hub-signature-256': GITHUB_SIGNATURE })
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.output).toBe(BODY)
  })

  it('rejects a wrong or missing signature with 401 naming the header', async () => {
    const workflow = await signedWorkflow()
    const wrong = await send(
      workflow.webhookUrl,
      { 'x-hub-signature-256': GITHUB_SIGNATURE },
      'Hello, World?',
    )
    const missing = await send(workflow.webhookUrl, {})
    expect([wrong.status, missing.status]).toEqual([401, 401])
    const body = (await wrong.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('SIGNATURE_INVALID')
    expect(body.error.details[0]!.path).toBe('headers.x-hub-signature-256')
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /missing/,
    )
  })

  it('accepts base64 digests (Shopify style)', async () => {
    const workflow = await signedWorkflow({
      header: 'X-Shopify-Hmac-Sha256',
      prefix: '',
      encoding: 'base64',
    })
    const hex = GITHUB_SIGNATURE.slice('sha256='.length)
    const base64 = btoa(String.fromCharCode(...hex.match(/../g)!.map((b) => parseInt(b, 16))))
    const response = await send(workflow.webhookUrl, { 'x-shopify-hmac-sha256': base64 })
    expect(response.status).toBe(202)
  })

  // Published vectors: RFC 2202 test case 2 (HMAC-SHA1) and RFC 4231 test case 2 (HMAC-SHA512),
  // key "Jefe" (the RFC_HMAC_SECRET binding in vitest.config.ts).
  it.each([
    ['sha1', 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'],
    [
      'sha512',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    ],
  ])('checks %s digests against the RFC test vector', async (algorithm, digest) => {
    const workflow = await signedWorkflow({
      header: 'X-Signature',
      secret: 'RFC_HMAC_SECRET',
      algorithm,
      prefix: `${algorithm}=`,
    })
    const body = 'what do ya want for nothing?'
    const good = await send(workflow.webhookUrl, { 'x-signature': `${algorithm}=${digest}` }, body)
    expect(good.status).toBe(202)
    const flipped = digest.slice(0, -1) + (digest.endsWith('0') ? '1' : '0')
    const bad = await send(workflow.webhookUrl, { 'x-signature': `${algorithm}=${flipped}` }, body)
    expect(bad.status).toBe(401)
  })

  it('says so when the named Worker secret is not set', async () => {
    const workflow = await signedWorkflow({ secret: 'NOT_CONFIGURED_SECRET' })
    const response = await send(workflow.webhookUrl, { 'x-hub-signature-256': GITHUB_SIGNATURE })
    expect(response.status).toBe(500)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'SIGNATURE_SECRET_MISSING',
    )
  })

  it('refuses a secret value in place of a secret name when saved', async () => {
    const { admin } = await import('../../../test/helpers')
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'x',
        trigger: { type: 'webhook', signature: { header: 'X-Sig', secret: 'my actual secret' } },
        nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
      },
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details[0]!.path).toBe('trigger.signature.secret')
  })
})
