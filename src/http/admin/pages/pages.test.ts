import { describe, expect, it } from 'vitest'
import { createWorkflow, postWebhook, waitForRun } from '../../../../test/helpers'
import { login, page, postForm, signedIn } from '../../../../test/admin-session'

const PAGES = [
  '/admin',
  '/admin/workflows',
  '/admin/workflows/new',
  '/admin/runs',
  '/admin/inbox',
  '/admin/credentials',
  '/admin/nodes',
]

describe('admin pages', () => {
  it('serves every section with navigation that marks where you are', async () => {
    const cookie = await login()
    for (const path of PAGES) {
      const { status, html } = await page(path, cookie)
      expect(status, path).toBe(200)
      expect(html).toContain('<nav class="nav" aria-label="Admin sections">')
      for (const link of [
        '/admin/workflows',
        '/admin/runs',
        '/admin/inbox',
        '/admin/credentials',
        '/admin/nodes',
      ])
        expect(html).toContain(`href="${link}"`)
    }
    const { html } = await page('/admin/runs', cookie)
    expect(html).toContain('<a href="/admin/runs" aria-current="page">Runs</a>')
    expect(html).toContain('<a href="/admin">Dashboard</a>')
  })

  it("runs only the response's own nonce script: no inline handlers, a CSP that says so", async () => {
    const cookie = await login()
    const first = await page('/admin', cookie)
    const second = await page('/admin', cookie)
    const csp = first.headers.get('content-security-policy')!
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1]!
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("form-action 'self'")
    expect(csp).not.toContain('unsafe-eval')
    expect(second.headers.get('content-security-policy')).not.toContain(nonce)
    const scripts = [...first.html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])
    expect(scripts).toEqual([` nonce="${nonce}"`])
    expect(first.html).not.toMatch(/\son[a-z]+=/i)
    expect(first.headers.get('cache-control')).toBe('no-store')
  })

  it('labels every form field', async () => {
    const cookie = await login()
    for (const path of [
      '/admin/workflows/new',
      '/admin/runs',
      '/admin/workflows',
      '/admin/credentials?type=http-basic',
      '/admin/credentials?type=google-service-account',
    ]) {
      const { html } = await page(path, cookie)
      const ids = [...html.matchAll(/<(?:textarea|input(?![^>]*type="hidden")|select)[^>]*>/g)]
      for (const [tag] of ids) {
        const id = /\sid="([^"]+)"/.exec(tag)?.[1]
        const wrapped = !id // a field inside its <label> needs no id
        if (!wrapped) expect(html, `${path}: ${tag}`).toContain(`for="${id}"`)
      }
    }
  })

  it('refuses a form without the CSRF token, and one posted from another site', async () => {
    const workflow = await createWorkflow({
      name: 'Guarded',
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const cookie = await login()
    const path = `/admin/workflows/${workflow.id}/enabled`
    const missing = await postForm(path, { enabled: 'false' }, { cookie })
    expect(missing.status).toBe(403)
    expect(await missing.text()).toContain('Form expired')
    const wrong = await postForm(path, { enabled: 'false', _csrf: 'f'.repeat(64) }, { cookie })
    expect(wrong.status).toBe(403)
    const session = await signedIn()
    const crossSite = await postForm(
      path,
      { enabled: 'false', _csrf: session.csrf },
      { cookie: session.cookie, 'sec-fetch-site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)
    // Nothing above changed it: the webhook still answers.
    expect((await postWebhook(workflow, {})).status).toBe(202)
  })

  it('ties the CSRF token to the session', async () => {
    const a = await signedIn()
    const b = await signedIn()
    if (a.cookie === b.cookie) return expect(a.csrf).toBe(b.csrf)
    expect(a.csrf).not.toBe(b.csrf)
  })

  it('answers 404 pages for a missing run, workflow or page', async () => {
    const cookie = await login()
    for (const path of [
      '/admin/runs/nope',
      '/admin/workflows/nope',
      '/admin/workflows/nope/edit',
      '/admin/nothing-here',
    ]) {
      const { status, html } = await page(path, cookie)
      expect(status, path).toBe(404)
      expect(html).toContain('Not found')
    }
  })

  it('escapes what users wrote', async () => {
    const name = '<script>alert(1)</script>'
    const workflow = await createWorkflow({
      name,
      nodes: [{ id: 'shape', type: 'transform', config: { expression: '{ "text": email }' } }],
    })
    const { runId } = (await (
      await postWebhook(workflow, { email: '<img src=x onerror=alert(2)>' })
    ).json()) as { runId: string }
    await waitForRun(runId)
    const cookie = await login()
    for (const path of [
      '/admin',
      '/admin/workflows',
      `/admin/workflows/${workflow.id}`,
      `/admin/workflows/${workflow.id}/edit`,
      `/admin/runs/${runId}`,
      '/admin/runs',
    ]) {
      const { html } = await page(path, cookie)
      expect(html, path).not.toContain('<script>alert')
      expect(html, path).not.toContain('<img src=x')
      expect(html, path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})
