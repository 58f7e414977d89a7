import { describe, expect, it } from 'vitest'
import googleSheetsAppend from '../../nodes/google-sheets-append'
import createIssue from '../../nodes/github-create-issue'
import gmailSend from '../../nodes/gmail-send'
import notionQuery from '../../nodes/notion-query'
import slackMessage from '../../nodes/slack-message'
import { fakeApp, nodeFailure, runNode } from '../../test/apps'
import { admin } from '../../test/helpers'
import { connectedCredential, oauthAdmin, oauthApp, tokenRequests } from '../../test/oauth'

type Recorded = { path: string; headers: Record<string, string>; body: unknown; query: unknown }
const received = async (base: string) =>
  ((await (await fetch(`${base}/__requests`)).json()) as { requests: Recorded[] }).requests

describe('app nodes with an oauth2 credential', () => {
  it('Google Sheets appends with the Google account, under the credential base', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const output = await runNode(googleSheetsAppend, {
      credential,
      spreadsheetId: 'with-header-oauth',
      range: 'Sheet1',
      values: { Name: 'Ada', Email: 'ada@example.com' },
    })
    expect(output).toMatchObject({ updatedRows: 1 })
    const sheets = (await received(app.apiBase)).filter((r) => r.path.startsWith('/v4/'))
    expect(sheets.length).toBe(2)
    for (const request of sheets) expect(request.headers.authorization).toMatch(/^Bearer ya29\./)
  })

  it('Notion queries with a public integration token, renewed once after a 401', async () => {
    // Notion's fake refuses a token that says "invalid": the first one, as if revoked meanwhile.
    const app = await oauthApp({
      extra: { workspace_name: 'Acme HQ', bot_id: 'b-1' },
      access_tokens: ['ntn-oauth-invalid-first-token-0123'],
    })
    const credential = await connectedCredential(
      app,
      { preset: 'notion' },
      { baseUrl: fakeApp('notion').base },
    )
    const connection = (await (
      await admin(`/api/credentials/${credential}/connection`)
    ).json()) as {
      account: string
    }
    expect(connection.account).toBe('Acme HQ')
    // The code was exchanged with HTTP Basic, as Notion asks.
    const [exchange] = await tokenRequests(app)
    expect(exchange!.headers.authorization).toMatch(/^Basic /)
    expect(new URLSearchParams(exchange!.body as string).get('client_secret')).toBe(null)

    const output = await runNode(notionQuery, {
      credential,
      dataSourceId: '248104cd-477e-80af-bc30-000bc0sample',
    })
    expect(output).toHaveProperty('results')
    const refreshes = (await tokenRequests(app)).filter(
      (r) => new URLSearchParams(r.body as string).get('grant_type') === 'refresh_token',
    )
    expect(refreshes).toHaveLength(1)
  })

  it("Slack posts with the bot token from oauth.v2.access, and refuses another provider's", async () => {
    // With token rotation, Slack refuses a spent token with HTTP 200 { ok: false }: the fake
    // refuses a token that says "invalid" (invalid_auth), here the first one.
    const app = await oauthApp({
      token_prefix: 'xoxb-',
      token_type: 'bot',
      style: 'slack',
      extra: { team: { id: 'T1', name: 'Acme' }, bot_user_id: 'U1' },
      access_tokens: ['xoxb-invalid-first-token-0123456'],
    })
    const slack = fakeApp('slack')
    const credential = await connectedCredential(
      app,
      { preset: 'slack' },
      { baseUrl: `${slack.base}/api` },
    )
    const [exchange] = await tokenRequests(app)
    const authorize = (await received(app.host)).find((r) => r.path === '/authorize')!
    // Slack's scopes are separated by commas.
    expect((authorize.query as Record<string, string>).scope).toBe('chat:write,channels:read')
    expect(exchange).toBeDefined()
    const output = await runNode(slackMessage, { credential, text: 'hello', channel: 'C1' })
    expect(output).toMatchObject({ ok: true })
    const [post] = (await received(slack.base)).filter((r) => r.path === '/api/chat.postMessage')
    expect(post!.headers.authorization).toMatch(/^Bearer xoxb-/)

    const google = await connectedCredential(await oauthApp())
    const refused = await nodeFailure(slackMessage, {
      credential: google,
      text: 'x',
      channel: 'C1',
    })
    expect(refused.code).toBe('CREDENTIAL_WRONG_TYPE')
  })

  it('GitHub creates an issue with an OAuth app token', async () => {
    const app = await oauthApp({ token_prefix: 'gho_', token_type: 'bearer' })
    const github = fakeApp('github')
    const credential = await connectedCredential(
      app,
      { preset: 'github' },
      { baseUrl: github.base },
    )
    const authorize = (await received(app.host)).find((r) => r.path === '/authorize')!
    expect((authorize.query as Record<string, string>).scope).toBe('repo')
    await runNode(createIssue, { credential, owner: 'octocat', repo: 'hello-world', title: 'Hi' })
    const [post] = (await received(github.base)).filter((r) => r.path.endsWith('/issues'))
    expect(post!.headers.authorization).toMatch(/^Bearer gho_/)
  })
})

describe('an oauth2 credential only goes to its own origin', () => {
  it('sends tokens to the official API hosts without a baseUrl, and secrets only to the token URL', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app, {}, { baseUrl: null })
    // The account came from Google's userinfo at its official host.
    const connection = (await (
      await admin(`/api/credentials/${credential}/connection`)
    ).json()) as {
      account: string
    }
    expect(connection.account).toBe(app.email)
    await oauthAdmin(app, '/__oauth/expire', { client_id: app.clientId })
    await runNode(gmailSend, { credential, to: 'ada@example.com', subject: 'Hi', text: 'x' })

    const tokenHost = await received(app.host)
    const gmail = (await received('https://gmail.googleapis.com')).filter(
      (r) => r.path === '/gmail/v1/users/me/messages/send',
    )
    // Refused once (expired), then sent again with the refreshed token.
    expect(gmail.length).toBeGreaterThanOrEqual(2)
    // The client secret and refresh tokens went to the token URL only, never to an API.
    const exchanges = tokenHost.filter((r) => r.path === '/token')
    expect(exchanges.length).toBe(2)
    const refresh = new URLSearchParams(exchanges[1]!.body as string).get('refresh_token')!
    for (const api of [
      ...(await received('https://gmail.googleapis.com')),
      ...(await received('https://openidconnect.googleapis.com')),
    ]) {
      const text = JSON.stringify(api)
      expect(text).not.toContain(app.clientSecret)
      expect(text).not.toContain(refresh)
    }
    // And no access token went to the token URL as a bearer.
    for (const request of tokenHost)
      expect(request.headers.authorization ?? '').not.toMatch(/^Bearer/)
  })

  it("never sends a Google token to Notion's API, whatever a workflow names", async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app)
    const notion = fakeApp('notion')
    const error = await nodeFailure(notionQuery, { credential, dataSourceId: 'abc' })
    expect(error.code).toBe('CREDENTIAL_WRONG_TYPE')
    expect(await received(notion.base)).toEqual([])
  })

  it('refuses a non-https token URL, and a generic preset without its URLs', async () => {
    const response = await admin('/api/credentials', {
      method: 'POST',
      json: {
        name: `oauth-bad-${crypto.randomUUID().slice(0, 6)}`,
        type: 'oauth2',
        data: { preset: 'generic', clientId: 'a', clientSecret: 'b', tokenUrl: 'http://x.test/t' },
      },
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as {
      error: { details: { path: string; message: string }[] }
    }
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'data.tokenUrl', message: 'must be an https URL' }),
      ]),
    )
  })
})
