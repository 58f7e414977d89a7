import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../../index'
import type { Env } from '../../env'
import { ADMIN_TOKEN } from '../../../test/helpers'
import { BASE, login } from '../../../test/admin-session'

/** The Worker as deployed with other settings: the same code, a different env. */
async function fetchWith(overrides: Partial<Env>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext()
  const response = await worker.fetch(
    new Request(`${BASE}${path}`, { redirect: 'manual', ...init }),
    { ...(env as Env), ...overrides },
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return response
}

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(fields).toString(),
})

describe('admin edges', () => {
  it('with ADMIN_TOKEN unset, the API and the page let nobody in, whatever they send', async () => {
    const unset = { ADMIN_TOKEN: undefined }
    for (const authorization of ['Bearer ', 'Bearer undefined', `Bearer ${ADMIN_TOKEN}`]) {
      const api = await fetchWith(unset, '/api/workflows', { headers: { authorization } })
      expect(api.status).toBe(401)
      expect(((await api.json()) as { error: { message: string } }).error.message).toContain(
        'ADMIN_TOKEN is not set',
      )
    }
    for (const token of ['', 'undefined', ADMIN_TOKEN]) {
      const signIn = await fetchWith(unset, '/admin/login', form({ token }))
      expect(signIn.status).toBe(401)
      expect(signIn.headers.get('set-cookie')).toBeNull()
    }
    // A cookie made while the token was set opens nothing once it is gone.
    const cookie = await login()
    const page = await fetchWith(unset, '/admin', { headers: { cookie } })
    expect(page.status).toBe(401)
    expect(await page.text()).toContain('<form')
  })

  it('a changed ADMIN_TOKEN ends the sessions signed in under the old one', async () => {
    const cookie = await login()
    const before = await fetchWith({}, '/admin', { headers: { cookie } })
    expect(before.status).toBe(200)
    const after = await fetchWith({ ADMIN_TOKEN: `${ADMIN_TOKEN}-rotated` }, '/admin', {
      headers: { cookie },
    })
    expect(after.status).toBe(401)
    expect(await after.text()).toContain('name="token"')
  })

  it('refuses a sign-out posted from another site, leaving the session alone', async () => {
    const cookie = await login()
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.test' },
      { 'sec-fetch-site': 'cross-site' },
    ]
    for (const headers of crossSite) {
      const response = await fetchWith({}, '/admin/logout', form({}, { cookie, ...headers }))
      expect(response.status).toBe(403)
      expect(response.headers.get('set-cookie')).toBeNull()
    }
    expect((await fetchWith({}, '/admin', { headers: { cookie } })).status).toBe(200)
  })
})
