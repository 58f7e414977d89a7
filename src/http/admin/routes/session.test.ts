import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN } from '../../../../test/helpers'
import { BASE, login, page, postForm } from '../../../../test/admin-session'

describe('admin sign-in', () => {
  it('shows the login form without a cookie', async () => {
    const { status, html, headers } = await page('/admin')
    expect(status).toBe(401)
    expect(headers.get('content-type')).toMatch(/^text\/html/)
    expect(html).toMatch(/^<!doctype html>/i)
    expect(html).toContain('<form method="post" action="/admin/login">')
    expect(html).toContain('type="password"')
    expect(html).not.toContain('Recent runs')
  })

  it('refuses a wrong token with 401 and no cookie', async () => {
    const response = await postForm('/admin/login', { token: 'not-the-token' })
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toContain('That token is not right.')
  })

  it('sets an HttpOnly SameSite=Strict cookie that does not carry the token', async () => {
    const response = await postForm('/admin/login', { token: ADMIN_TOKEN })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin')
    const cookie = response.headers.get('set-cookie')!
    // A random id, the issue time in seconds, and an HMAC of both.
    expect(cookie).toMatch(/^automateos_admin=[A-Za-z0-9_-]{22}\.\d+\.[0-9a-f]{64};/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Strict')
    expect(cookie).toContain('Path=/admin')
    // Secure on http too: browsers keep it on localhost, and no deployment sends it in clear.
    expect(cookie).toContain('Secure')
    expect(cookie).not.toContain(ADMIN_TOKEN)
    expect(await response.text()).not.toContain(ADMIN_TOKEN)
  })

  it('marks the cookie Secure over https', async () => {
    const response = await SELF.fetch('https://automateos.test/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${ADMIN_TOKEN}`,
      redirect: 'manual',
    })
    expect(response.headers.get('set-cookie')).toContain('Secure')
  })

  it('lets the cookie in and a tampered cookie not', async () => {
    const cookie = await login()
    expect((await page('/admin', cookie)).status).toBe(200)
    const tampered = cookie.replace(/.$/, (ch) => (ch === '0' ? '1' : '0'))
    expect((await page('/admin', tampered)).status).toBe(401)
    expect((await page('/admin', `automateos_admin=${ADMIN_TOKEN}`)).status).toBe(401)
  })

  it('returns to the page that asked for the login, and only to an admin page', async () => {
    const asked = await page('/admin/runs/some-run')
    expect(asked.status).toBe(401)
    expect(asked.html).toContain('name="next" value="/admin/runs/some-run"')

    const back = await postForm('/admin/login', { token: ADMIN_TOKEN, next: '/admin/runs/x' })
    expect(back.headers.get('location')).toBe('/admin/runs/x')
    for (const next of ['https://evil.test/', '//evil.test/admin', '/api/workflows']) {
      const response = await postForm('/admin/login', { token: ADMIN_TOKEN, next })
      expect(response.headers.get('location')).toBe('/admin')
    }
  })

  it('refuses a login form posted from another site', async () => {
    const fromElsewhere = await postForm(
      '/admin/login',
      { token: ADMIN_TOKEN },
      { origin: 'https://evil.test' },
    )
    expect(fromElsewhere.status).toBe(403)
    expect(fromElsewhere.headers.get('set-cookie')).toBeNull()
    const crossSite = await postForm(
      '/admin/login',
      { token: ADMIN_TOKEN },
      { 'sec-fetch-site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)
    const sameOrigin = await postForm(
      '/admin/login',
      { token: ADMIN_TOKEN },
      { origin: BASE, 'sec-fetch-site': 'same-origin' },
    )
    expect(sameOrigin.status).toBe(303)
  })

  it('does not open the API to the cookie: the API is bearer-only', async () => {
    const cookie = await login()
    for (const path of ['/api/workflows', '/api/runs']) {
      const response = await SELF.fetch(`${BASE}${path}`, { headers: { cookie } })
      expect(response.status).toBe(401)
    }
  })

  it('clears the cookie on logout', async () => {
    const cookie = await login()
    const response = await postForm('/admin/logout', {}, { cookie })
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/admin')
    const cleared = response.headers.get('set-cookie')!
    expect(cleared).toMatch(/^automateos_admin=;/)
    expect(cleared).toContain('Max-Age=0')
    expect(cleared).toContain('Path=/admin')
  })

  it('sends /admin/ to /admin, signed in or not', async () => {
    const { status, headers } = await page('/admin/?status=failed')
    expect(status).toBe(301)
    expect(headers.get('location')).toBe('/admin?status=failed')
  })

  it('sends pages with no-store and a script-free CSP', async () => {
    const { headers } = await page('/admin')
    expect(headers.get('cache-control')).toBe('no-store')
    expect(headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(headers.get('x-frame-options')).toBe('DENY')
  })
})
