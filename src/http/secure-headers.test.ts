import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow } from '../../test/helpers'
import { login, page } from '../../test/admin-session'

const BASE = 'http://automateos.test'

function expectSecure(response: Response, what: string) {
  const h = response.headers
  expect(h.get('strict-transport-security'), what).toBe('max-age=31536000; includeSubDomains')
  expect(h.get('x-content-type-options'), what).toBe('nosniff')
  expect(h.get('x-frame-options'), what).toBe('DENY')
  expect(h.get('referrer-policy'), what).toBe('no-referrer')
  expect(h.get('content-security-policy'), what).toMatch(/default-src 'none'/)
}

describe('security headers', () => {
  it('are on every kind of answer: API, webhook, 404, 401, errors, health', async () => {
    const workflow = await createWorkflow({
      name: 'headers',
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const answers: [string, Response][] = [
      ['healthz', await SELF.fetch(`${BASE}/healthz`)],
      ['api', await admin('/api/workflows')],
      ['api 401', await SELF.fetch(`${BASE}/api/workflows`)],
      ['api 400', await admin('/api/workflows', { method: 'POST', body: '{' })],
      ['unknown route', await SELF.fetch(`${BASE}/nowhere`)],
      ['webhook 202', await SELF.fetch(workflow.webhookUrl, { method: 'POST', body: '{}' })],
      ['webhook 404', await SELF.fetch(`${BASE}/hooks/wf_x/nope`, { method: 'POST' })],
      ['admin login', await SELF.fetch(`${BASE}/admin`)],
    ]
    for (const [what, response] of answers) expectSecure(response, what)
  })

  it('lets no script run on an admin page except by its nonce', async () => {
    const cookie = await login()
    const first = await page('/admin', cookie)
    const second = await page('/admin', cookie)
    const csp = first.headers.get('content-security-policy')!
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!
    const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc)![1]!
    expect(csp).not.toContain("unsafe-inline' ;")
    expect(scriptSrc).not.toMatch(/unsafe|self|\*|http/)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(second.headers.get('content-security-policy')).not.toContain(nonce)
    // Every <script> on the page carries this response's nonce.
    const scripts = [...first.html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`)
    expect(first.html).not.toMatch(/\son[a-z]+="/)
  })

  it('sends no stack trace in any error answer', async () => {
    const answers = [
      await admin('/api/workflows', { method: 'POST', body: '{"name": ' }),
      await admin('/api/runs/not-a-run'),
      await SELF.fetch(`${BASE}/api/nodes`, { headers: { authorization: 'Bearer x' } }),
    ]
    for (const response of answers)
      expect(await response.text()).not.toMatch(/\bat \S+ \(|\.ts:\d+/)
  })
})
