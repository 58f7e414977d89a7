import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { hmacHex } from '../../../lib/hmac'
import { ADMIN_TOKEN } from '../../../../test/helpers'
import { login, page, postForm } from '../../../../test/admin-session'
import { SESSION_MAX_AGE_SECONDS } from './session'

const idOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!

/** A cookie as the server would sign it, for a session id and issue time of the test's choosing. */
async function signed(id: string, issuedAt: number) {
  const body = `${id}.${issuedAt}`
  return `automateos_admin=${body}.${await hmacHex(ADMIN_TOKEN, `automateos admin session v2\n${body}`)}`
}

describe('admin sessions', () => {
  it('gives every sign-in its own cookie', async () => {
    const [a, b] = [await login(), await login()]
    expect(a).not.toBe(b)
    expect((await page('/admin', a)).status).toBe(200)
    expect((await page('/admin', b)).status).toBe(200)
  })

  it('revokes on sign-out: a copy of the cookie no longer gets in', async () => {
    const cookie = await login()
    const other = await login()
    expect((await postForm('/admin/logout', {}, { cookie })).status).toBe(303)
    expect((await page('/admin', cookie)).status).toBe(401)
    const row = await env.DB.prepare('SELECT id FROM admin_sessions WHERE id = ?')
      .bind(idOf(cookie))
      .first()
    expect(row).toBeNull()
    // Only that session: another sign-in stays.
    expect((await page('/admin', other)).status).toBe(200)
  })

  it('checks the age on the server, whatever the browser keeps', async () => {
    const cookie = await login()
    const id = idOf(cookie)
    const old = Math.floor(Date.now() / 1000) - SESSION_MAX_AGE_SECONDS - 1
    // Even with its row still present (pushed into the future here) and a valid HMAC.
    await env.DB.prepare('UPDATE admin_sessions SET expires_at = ? WHERE id = ?')
      .bind(Date.now() + 3600_000, id)
      .run()
    expect((await page('/admin', await signed(id, old))).status).toBe(401)
    const future = Math.floor(Date.now() / 1000) + 3600
    expect((await page('/admin', await signed(id, future))).status).toBe(401)
    expect((await page('/admin', cookie)).status).toBe(200)
  })

  it('refuses a well-signed cookie whose session was never started', async () => {
    const forged = await signed('AAAAAAAAAAAAAAAAAAAAAA', Math.floor(Date.now() / 1000))
    expect((await page('/admin', forged)).status).toBe(401)
  })

  it('refuses a session whose row has expired', async () => {
    const cookie = await login()
    await env.DB.prepare('UPDATE admin_sessions SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, idOf(cookie))
      .run()
    expect((await page('/admin', cookie)).status).toBe(401)
  })
})
