import { describe, expect, it } from 'vitest'
import { BASE, postForm, signedIn } from '../../../../test/admin-session'
import { callback, consent, oauthAdmin, oauthApp, oauthCredential } from '../../../../test/oauth'
import { redirectUriFor } from '../../oauth/redirect-uri'

describe('connecting from the credentials page', () => {
  it('shows the redirect URI, connects, says "Connected as", and disconnects with a revocation', async () => {
    const app = await oauthApp()
    const name = await oauthCredential(app)
    const session = await signedIn()
    const before = await session.page(`/admin/credentials/${name}`)
    expect(before.html).toContain('Not connected yet.')
    expect(before.html).toContain(`${BASE}/oauth/callback`)
    expect(before.html).toContain('>Connect</button>')

    // Connect: a page with the provider's link, and the cookie that binds the sign-in.
    const response = await postForm(
      `/admin/credentials/${name}/connect`,
      { _csrf: session.csrf },
      { cookie: session.cookie },
    )
    expect(response.status).toBe(200)
    const binding = response.headers.get('set-cookie')!.split(';')[0]!
    expect(binding).toMatch(/^automateos_oauth=/)
    const html = await response.text()
    const link = /<a class="button primary" href="([^"]+)" id="continue-to-provider"/.exec(
      html,
    )![1]!
    const back = await callback(await consent(link.replace(/&amp;/g, '&')), binding)
    expect(back.next).toBe(`/admin/credentials/${name}?connected=1`)

    const after = await session.page(back.next)
    expect(after.html).toContain(`Connected as ${app.email}.`)
    expect(after.html).toContain('>Reconnect</button>')
    const list = await session.page('/admin/credentials')
    expect(list.html).toContain('connected')

    const disconnected = await session.post(`/admin/credentials/${name}/disconnect`)
    expect(disconnected.location).toBe(`/admin/credentials/${name}?done=revoked`)
    const revoke = (
      (await (await fetch(`${app.host}/__requests`)).json()) as {
        requests: { path: string }[]
      }
    ).requests.filter((r) => r.path === '/revoke')
    expect(revoke).toHaveLength(1)
    expect((await session.page(`/admin/credentials/${name}`)).html).toContain('Not connected yet.')
  })

  it('shows a revoked grant once in the inbox, with Reconnect', async () => {
    const app = await oauthApp()
    const session = await signedIn()
    const { connectedCredential } = await import('../../../../test/oauth')
    const connected = await connectedCredential(app)
    await oauthAdmin(app, '/__oauth/revoke-grant', { client_id: app.clientId })
    const { refreshAccessToken } = await import('../../../credentials/oauth/refresh')
    const { env } = await import('cloudflare:test')
    const { readCredential } = await import('../../../credentials/read-credential')
    const refused = (await readCredential(env, connected, 'oauth2')).access!.token
    await expect(refreshAccessToken(env, connected, refused)).rejects.toThrow(
      'needs to be reconnected',
    )
    const inbox = await session.page('/admin/inbox')
    expect(inbox.html).toContain(`id="reconnect-${connected}"`)
    expect(inbox.html).toContain(`href="/admin/credentials/${connected}"`)
    const page = await session.page(`/admin/credentials/${connected}`)
    expect(page.html).toContain('Needs to be reconnected')
    expect(page.html).toContain('>Reconnect</button>')
  })
})

describe('adding an oauth2 credential from the page', () => {
  it('shows the redirect URI beside the form, and stores scopes typed as one line', async () => {
    const session = await signedIn()
    const form = await session.page('/admin/credentials?type=oauth2')
    expect(form.html).toContain(`${BASE}/oauth/callback`)
    for (const field of ['preset', 'clientId', 'clientSecret', 'scopes', 'tokenUrl'])
      expect(form.html).toContain(`name="data.${field}"`)
    const name = `page-oauth-${crypto.randomUUID().slice(0, 8)}`
    const added = await session.post('/admin/credentials', {
      type: 'oauth2',
      name,
      'data.preset': 'google',
      'data.clientId': 'id.apps.googleusercontent.com',
      'data.clientSecret': 'GOCSPX-from-the-page',
      'data.scopes': 'email https://www.googleapis.com/auth/gmail.send',
    })
    expect(added.location).toBe('/admin/credentials?done=added')
    const { env } = await import('cloudflare:test')
    const { readCredential } = await import('../../../credentials/read-credential')
    await expect(readCredential(env, name, 'oauth2')).rejects.toThrow('is not connected yet')
    const page = await session.page(`/admin/credentials/${name}`)
    expect(page.html).toContain('>Connect</button>')
  })
})

describe('the redirect URI', () => {
  it('comes from PUBLIC_URL or the request, with a warning when the hosts differ', () => {
    expect(redirectUriFor({}, 'https://a.example.com/admin/credentials')).toEqual({
      uri: 'https://a.example.com/oauth/callback',
    })
    const other = redirectUriFor(
      { PUBLIC_URL: 'https://automate.example.com' },
      'https://automateos.me.workers.dev/admin/credentials',
    )
    expect(other.uri).toBe('https://automate.example.com/oauth/callback')
    expect(other.warning).toContain('open at https://automateos.me.workers.dev')
    expect(redirectUriFor({}, 'https://automateos.me.workers.dev/x').warning).toContain(
      'set PUBLIC_URL',
    )
  })
})
