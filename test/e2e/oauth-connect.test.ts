import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin } from '../helpers'
import {
  REDIRECT_URI,
  callback,
  consent,
  oauthApp,
  oauthCredential,
  startConnect,
  tokenRequests,
} from '../oauth'

async function s256(verifier: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))
  return btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

describe('connecting an oauth2 credential', () => {
  it('runs the whole flow: authorize with PKCE and state, callback, exchange, "Connected as"', async () => {
    const app = await oauthApp()
    const name = await oauthCredential(app)
    const started = await startConnect(name)

    expect(started.redirectUri).toBe(REDIRECT_URI)
    // The cookie binds the sign-in to this browser: short-lived, HttpOnly, only for the callback.
    expect(started.setCookie).toMatch(/^automateos_oauth=[A-Za-z0-9_-]{43};/)
    expect(started.setCookie).toMatch(/Max-Age=600/)
    expect(started.setCookie).toMatch(/Path=\/oauth\/callback/)
    expect(started.setCookie).toMatch(/HttpOnly/)
    expect(started.setCookie).toMatch(/SameSite=Lax/)

    const authorize = new URL(started.authorizeUrl)
    expect(authorize.origin + authorize.pathname).toBe(app.authorizeUrl)
    const q = authorize.searchParams
    expect(q.get('response_type')).toBe('code')
    expect(q.get('client_id')).toBe(app.clientId)
    expect(q.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(q.get('access_type')).toBe('offline')
    expect(q.get('prompt')).toBe('consent')
    expect(q.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['email', 'https://www.googleapis.com/auth/gmail.send']),
    )

    const back = await callback(await consent(started.authorizeUrl), started.cookie)
    expect(back.status).toBe(200)
    expect(back.next).toBe(`/admin/credentials/${name}?connected=1`)

    // The exchange sent the code with the verifier whose S256 is the challenge.
    const [exchange] = await tokenRequests(app)
    const form = new URLSearchParams(exchange!.body as string)
    expect(form.get('grant_type')).toBe('authorization_code')
    expect(form.get('redirect_uri')).toBe(REDIRECT_URI)
    expect(form.get('client_id')).toBe(app.clientId)
    expect(await s256(form.get('code_verifier')!)).toBe(q.get('code_challenge'))

    const connection = await (await admin(`/api/credentials/${name}/connection`)).json()
    expect(connection).toMatchObject({ status: 'connected', account: app.email })
    const listed = (await (await admin(`/api/credentials/${name}`)).json()) as {
      connection: { status: string }
    }
    expect(listed.connection.status).toBe('connected')
  })

  it('refuses a reused state, a wrong state and another browser', async () => {
    const app = await oauthApp()
    const name = await oauthCredential(app)
    const started = await startConnect(name)
    const url = await consent(started.authorizeUrl)

    const wrong = new URL(url)
    wrong.searchParams.set('state', 'x'.repeat(43))
    const refused = await callback(wrong.toString(), started.cookie)
    expect(refused.status).toBe(400)
    expect(refused.problem).toContain('unknown, used already')

    // Another browser (no cookie, or another one) is refused, and the state is not spent by it.
    const elsewhere = await callback(url, 'automateos_oauth=' + 'y'.repeat(43))
    expect(elsewhere.problem).toContain('another browser')

    const first = await callback(url, started.cookie)
    expect(first.next).toContain('connected=1')
    const again = await callback(url, started.cookie)
    expect(again.problem).toContain('used already')
    expect(await tokenRequests(app)).toHaveLength(1)
  })

  it('says in words what the provider refused: denied consent, wrong secret', async () => {
    const denied = await oauthApp({ consent: 'deny' })
    const name = await oauthCredential(denied)
    const started = await startConnect(name)
    const back = await callback(await consent(started.authorizeUrl), started.cookie)
    expect(back.next).toContain(`/admin/credentials/${name}?problem=`)
    expect(back.problem).toContain('consent was denied')

    const app = await oauthApp()
    const wrongSecret = await oauthCredential(app, { clientSecret: 'not-the-secret-at-all' })
    const again = await startConnect(wrongSecret)
    const answer = await callback(await consent(again.authorizeUrl), again.cookie)
    expect(answer.problem).toContain('the client id or secret is wrong')
  })

  it('keeps a start for 10 minutes at most, and its verifier sealed', async () => {
    const app = await oauthApp()
    const name = await oauthCredential(app)
    const started = await startConnect(name)
    const row = await env.DB.prepare('SELECT * FROM oauth_starts WHERE credential = ?')
      .bind(name)
      .first<Record<string, unknown>>()
    const state = new URL(started.authorizeUrl).searchParams.get('state')!
    expect(Object.values(row!).join(' ')).not.toContain(state)
    // Ten minutes pass.
    await env.DB.prepare('UPDATE oauth_starts SET expires_at = ? WHERE credential = ?')
      .bind(Date.now() - 1, name)
      .run()
    const late = await callback(await consent(started.authorizeUrl), started.cookie)
    expect(late.problem).toContain('older than 10 minutes')
  })
})
