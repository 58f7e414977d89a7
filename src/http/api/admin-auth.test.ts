import { SELF, createExecutionContext, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../../app'
import { ADMIN_TOKEN } from '../../../test/helpers'
import { MIN_ADMIN_TOKEN_LENGTH } from '../admin-token'
import {
  FAILURES_ALLOWED,
  WINDOW_MS,
  recordFailure,
  rememberedClients,
  throttledFor,
} from '../auth-throttle'

const BASE = 'http://automateos.test'

function withToken(token: string, path: string, init: RequestInit = {}) {
  return app.fetch(
    new Request(`${BASE}${path}`, init),
    { ...env, ADMIN_TOKEN: token },
    createExecutionContext(),
  )
}

describe('a too short ADMIN_TOKEN', () => {
  const short = 'x'.repeat(MIN_ADMIN_TOKEN_LENGTH - 1)

  it('disables the admin API with an answer naming the problem, never the token', async () => {
    const response = await withToken(short, '/api/workflows', {
      headers: { authorization: `Bearer ${short}` },
    })
    expect(response.status).toBe(503)
    const text = await response.text()
    expect(JSON.parse(text).error.code).toBe('ADMIN_TOKEN_TOO_SHORT')
    expect(JSON.parse(text).error.message).toMatch(/shorter than 32 characters/)
    expect(text).not.toContain(short)
  })

  it('lets nobody sign in to the admin page', async () => {
    const response = await withToken(short, '/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${short}`,
    })
    expect(response.status).toBe(401)
    expect(response.headers.get('set-cookie')).toBeNull()
    const html = await response.text()
    expect(html).toContain('shorter than 32 characters')
    expect(html).not.toContain(short)
    const page = await withToken(short, '/admin')
    expect(await page.text()).toContain('shorter than 32 characters')
  })

  it('accepts a token of exactly 32 characters', async () => {
    const token = 'y'.repeat(MIN_ADMIN_TOKEN_LENGTH)
    const response = await withToken(token, '/api/nodes', {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(response.status).toBe(200)
  })
})

describe('wrong-token throttle', () => {
  const from = (ip: string, token?: string) =>
    SELF.fetch(`${BASE}/api/workflows`, {
      headers: {
        'cf-connecting-ip': ip,
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
    })

  it(`refuses a client after ${FAILURES_ALLOWED} wrong tokens, even with the right one`, async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`
    for (let i = 0; i < FAILURES_ALLOWED; i++)
      expect((await from(ip, `guess-${i}`)).status).toBe(401)
    const refused = await from(ip, ADMIN_TOKEN)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
      'TOO_MANY_ATTEMPTS',
    )
    // Another client is not affected; the admin page's sign-in shares the count.
    expect((await from('203.0.113.7', ADMIN_TOKEN)).status).toBe(200)
    const signIn = await SELF.fetch(`${BASE}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
      redirect: 'manual',
    })
    expect(signIn.status).toBe(429)
    expect(signIn.headers.get('set-cookie')).toBeNull()
  })

  it('counts wrong sign-ins on the admin page too', async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`
    for (let i = 0; i < FAILURES_ALLOWED; i++) {
      const response = await SELF.fetch(`${BASE}/admin/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': ip },
        body: `token=wrong-${i}`,
        redirect: 'manual',
      })
      expect(response.status).toBe(401)
    }
    expect((await from(ip, ADMIN_TOKEN)).status).toBe(429)
  })

  it('does not count requests without a token', async () => {
    const ip = '198.51.100.254'
    for (let i = 0; i < FAILURES_ALLOWED + 5; i++) expect((await from(ip)).status).toBe(401)
    expect((await from(ip, ADMIN_TOKEN)).status).toBe(200)
  })

  it('forgets a client when its window ends, and remembers a bounded number', () => {
    const now = 1_000_000
    for (let i = 0; i < FAILURES_ALLOWED; i++) recordFailure('window-test', now)
    expect(throttledFor('window-test', now + 1)).toBe(WINDOW_MS - 1)
    expect(throttledFor('window-test', now + WINDOW_MS)).toBe(0)
    for (let i = 0; i < 20_000; i++) recordFailure(`flood-${i}`, now)
    expect(rememberedClients()).toBeLessThanOrEqual(5_000)
  })
})

describe('sign-in body', () => {
  it('is refused with 413 above 8 KiB, before the token is looked at', async () => {
    const response = await SELF.fetch(`${BASE}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${ADMIN_TOKEN}&pad=${'a'.repeat(64 * 1024)}`,
      redirect: 'manual',
    })
    expect(response.status).toBe(413)
    expect(response.headers.get('set-cookie')).toBeNull()
    expect(await response.text()).toContain('over 8192 bytes')
  })
})
