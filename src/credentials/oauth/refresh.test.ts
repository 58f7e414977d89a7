import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  type RunView,
  createWorkflow,
  postAndWait,
  postWebhook,
  waitForAccepted,
} from '../../../test/helpers'
import {
  type OAuthApp,
  connectedCredential,
  oauthAdmin,
  oauthApp,
  tokenRequests,
} from '../../../test/oauth'
import { listReconnects } from '../../store/inbox'
import { readCredential } from '../read-credential'
import { refreshAccessToken } from './refresh'

const form = (request: { body: unknown }) => new URLSearchParams(request.body as string)
const refreshes = async (app: OAuthApp) =>
  (await tokenRequests(app)).filter((r) => form(r).get('grant_type') === 'refresh_token')

/** Programs answers on the authorization server's host (test/fake-upstream/worker.js). */
async function program(app: OAuthApp, routes: unknown[]) {
  await fetch(`${app.host}/__program`, { method: 'POST', body: JSON.stringify({ routes }) })
}

async function gmailRequests(app: OAuthApp) {
  const response = await fetch(`${app.apiBase}/__requests`)
  const { requests } = (await response.json()) as {
    requests: { path: string; headers: Record<string, string> }[]
  }
  return requests.filter((r) => r.path === '/gmail/v1/users/me/messages/send')
}

function mailWorkflow(credential: string) {
  return createWorkflow({
    name: 'mail',
    trigger: { type: 'webhook' },
    nodes: [
      {
        id: 'mail',
        type: 'gmail-send',
        config: { credential, to: 'ada@example.com', subject: 'Hi', text: 'Hello' },
      },
    ],
  })
}

/** Connects with tokens that live 30 s (under the refresh margin), then makes new ones live 1 h. */
async function expiredCredential(app: OAuthApp) {
  const name = await connectedCredential(app)
  await oauthAdmin(app, '/__oauth/clients', {
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uris: ['http://automateos.test/oauth/callback'],
    email: app.email,
    rotate: true,
    access_ttl: 3599,
  })
  return name
}

describe('oauth2 token refresh', () => {
  it('refreshes shortly before expiry, before the call, and uses the new token', async () => {
    const app = await oauthApp({ access_ttl: 30, rotate: true })
    const name = await expiredCredential(app)
    const run = await postAndWait(await mailWorkflow(name), {})
    expect(run.status).toBe('succeeded')
    const [refresh] = await refreshes(app)
    expect(form(refresh!).get('client_id')).toBe(app.clientId)
    const [sent] = await gmailRequests(app)
    expect(sent!.headers.authorization).not.toBe(undefined)
    // The call went out with the refreshed token, never the stale one.
    const credential = await readCredential(env, name, 'oauth2')
    expect(sent!.headers.authorization).toBe(`Bearer ${credential.access!.token}`)
    expect(await gmailRequests(app)).toHaveLength(1)
  })

  it('refreshes once after a 401 and calls again', async () => {
    const app = await oauthApp()
    const name = await connectedCredential(app)
    // The provider expires the token early (revoked sessions, a password change).
    await oauthAdmin(app, '/__oauth/expire', { client_id: app.clientId })
    const run = await postAndWait(await mailWorkflow(name), {})
    expect(run.status).toBe('succeeded')
    expect(await refreshes(app)).toHaveLength(1)
    const [first, second] = await gmailRequests(app)
    expect(first!.headers.authorization).not.toBe(second!.headers.authorization)
  })

  it('20 concurrent runs with an expired token make one refresh, and the rotated token is kept', async () => {
    const app = await oauthApp({ access_ttl: 30 })
    const name = await expiredCredential(app)
    const workflow = await mailWorkflow(name)
    const accepted = await Promise.all(Array.from({ length: 20 }, () => postWebhook(workflow, {})))
    const runs = await Promise.all(accepted.map(waitForAccepted))
    expect(runs.map((r) => r.status)).toEqual(Array(20).fill('succeeded'))
    const [only, ...more] = await refreshes(app)
    expect(more).toEqual([])
    // Rotation spent the first refresh token: a later refresh works only with the new one.
    await oauthAdmin(app, '/__oauth/expire', { client_id: app.clientId })
    expect((await postAndWait(workflow, {})).status).toBe('succeeded')
    const [, next] = await refreshes(app)
    expect(form(next!).get('refresh_token')).not.toBe(form(only!).get('refresh_token'))
  })

  it('makes one refresh across isolates: 20 refreshers that share no memory, one claim', async () => {
    const app = await oauthApp({ access_ttl: 30 })
    const name = await expiredCredential(app)
    const stale = (await tokenRequests(app)).length
    // refreshAccessToken is what each isolate runs: only the claim in D1 is shared between them.
    const tokens = await Promise.all(
      Array.from({ length: 20 }, () => refreshAccessToken(env, name, 'the-stale-token')),
    )
    expect(new Set(tokens).size).toBe(1)
    expect((await tokenRequests(app)).length - stale).toBe(1)
  })

  it('an invalid_grant after another run rotated the token is not a failure', async () => {
    const app = await oauthApp({ access_ttl: 30, rotate: true })
    const name = await connectedCredential(app)
    // The provider spends the refresh token on the other run's refresh; this run's, slower, is
    // then refused as invalid_grant.
    await program(app, [
      {
        path: '/token',
        responses: [
          {
            gate: 'slow',
            status: 400,
            body: {
              error: 'invalid_grant',
              error_description: 'Token has been expired or revoked.',
            },
          },
          {
            status: 200,
            body: {
              access_token: 'ya29.the-other-runs-token-0123456789',
              refresh_token: '1//the-other-runs-refresh-token-0123',
              expires_in: 3599,
              token_type: 'Bearer',
            },
          },
        ],
      },
    ])
    const slow = refreshAccessToken(env, name, 'stale')
    while ((await refreshes(app)).length === 0) await new Promise((r) => setTimeout(r, 10))
    // The slow run's claim runs out (it hung), and the other run takes over.
    await env.DB.prepare('UPDATE credentials SET lease_until = 0 WHERE name = ?').bind(name).run()
    const fast = await refreshAccessToken(env, name, 'stale')
    await fetch(`${app.host}/__release`, { method: 'POST', body: JSON.stringify({ gate: 'slow' }) })
    expect(await slow).toBe('ya29.the-other-runs-token-0123456789')
    expect(fast).toBe('ya29.the-other-runs-token-0123456789')
    const row = await env.DB.prepare('SELECT connection FROM credentials WHERE name = ?')
      .bind(name)
      .first<{ connection: string }>()
    expect(row!.connection).toBe('connected')
  })

  it('a revoked grant marks the credential: runs fail with the code, and the inbox has one item', async () => {
    const app = await oauthApp()
    const name = await connectedCredential(app)
    const workflow = await mailWorkflow(name)
    await oauthAdmin(app, '/__oauth/revoke-grant', { client_id: app.clientId })
    const runs: RunView[] = []
    for (let i = 0; i < 3; i++) runs.push(await postAndWait(workflow, {}))
    for (const run of runs) {
      expect(run.status).toBe('failed')
      expect(run.error!.code).toBe('CREDENTIAL_NEEDS_RECONNECT')
      expect(run.error!.message).toContain(`Credential ${name} needs to be reconnected`)
      expect(run.error!.message).toContain('press Reconnect')
    }
    // One refresh found the grant gone; the runs after it did not ask again.
    expect(await refreshes(app)).toHaveLength(1)
    const items = (await listReconnects(env.DB)).filter((item) => item.name === name)
    expect(items).toHaveLength(1)
    expect(items[0]!.note).toContain('invalid_grant')
    const { listInbox } = await import('../../store/inbox')
    const { runs: inbox } = await listInbox(env.DB, { limit: 500 })
    expect(inbox.filter((r) => runs.some((run) => run.id === r.id))).toEqual([])
  })
})
