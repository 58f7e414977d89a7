import { describe, expect, it } from 'vitest'
import { nodeFailure, runNode } from '../test/apps'
import { fakeUpstream } from '../test/helpers'
import { connectedCredential, oauthAdmin, oauthApp, tokenRequests } from '../test/oauth'
import httpRequest from './http-request'

type Recorded = { method: string; path: string; headers: Record<string, string> }
const received = async (base: string) =>
  ((await (await fetch(`${base}/__requests`)).json()) as { requests: Recorded[] }).requests

/** A Google app whose first access tokens are ours, so the test knows what must be sent. */
async function googleApp() {
  const id = crypto.randomUUID().replace(/-/g, '')
  const tokens = [`ya29.first-${id}`, `ya29.second-${id}`]
  return { app: await oauthApp({ access_tokens: tokens }), tokens }
}

describe('http-request with an oauth2 credential (a connected account)', () => {
  it("calls any endpoint of the provider's API with the access token as a bearer header", async () => {
    const { app, tokens } = await googleApp()
    const credential = await connectedCredential(app)
    const output = (await runNode(httpRequest, {
      credential,
      url: `${app.apiBase}/v1/userinfo`,
    })) as { status: number; body: unknown }
    expect(output).toMatchObject({ status: 200, body: { email: app.email } })
    const calls = (await received(app.apiBase)).filter((r) => r.path === '/v1/userinfo')
    // One at connect time (the account's name), then ours.
    expect(calls.at(-1)).toMatchObject({ method: 'GET' })
    expect(calls.at(-1)!.headers.authorization).toBe(`Bearer ${tokens[0]}`)
  })

  it('after a 401 renews the token once and sends the request again', async () => {
    const { app, tokens } = await googleApp()
    const credential = await connectedCredential(app)
    const before = (await received(app.apiBase)).length
    // Google stops taking the token before the expiry it gave: the API answers 401.
    await oauthAdmin(app, '/__oauth/expire', { client_id: app.clientId })
    const output = await runNode(httpRequest, { credential, url: `${app.apiBase}/v1/userinfo` })
    expect(output).toMatchObject({ status: 200, body: { email: app.email } })

    const calls = (await received(app.apiBase)).slice(before)
    expect(calls.map((c) => c.headers.authorization)).toEqual([
      `Bearer ${tokens[0]}`,
      `Bearer ${tokens[1]}`,
    ])
    const grants = (await tokenRequests(app)).map((r) =>
      new URLSearchParams(r.body as string).get('grant_type'),
    )
    expect(grants).toEqual(['authorization_code', 'refresh_token'])
  })

  it("goes to the preset's API hosts without a baseUrl; a path needs one base", async () => {
    const { app, tokens } = await googleApp()
    const credential = await connectedCredential(app, {}, { baseUrl: null })
    const official = 'https://openidconnect.googleapis.com'
    const before = (await received(official)).length
    const output = await runNode(httpRequest, { credential, url: `${official}/v1/userinfo` })
    expect(output).toMatchObject({ status: 200, body: { email: app.email } })
    const [call] = (await received(official)).slice(before)
    expect(call!.headers.authorization).toBe(`Bearer ${tokens[0]}`)

    const error = await nodeFailure(httpRequest, { credential, url: '/v1/userinfo' })
    expect(error.code).toBe('CONFIG_INVALID')
    expect(error.message).toContain('write the whole URL')
  })

  it('refuses a URL on another host before any call, and sends nothing there', async () => {
    const { app } = await googleApp()
    const credential = await connectedCredential(app)
    const elsewhere = fakeUpstream()
    const apiCalls = (await received(app.apiBase)).length
    for (const url of [
      elsewhere.url('/collect'),
      // The official host is not this credential's: its baseUrl replaces the preset's hosts.
      'https://www.googleapis.com/oauth2/v3/userinfo',
      `${app.apiBase.replace('https:', 'http:')}/v1/userinfo`,
    ]) {
      const error = await nodeFailure(httpRequest, { credential, url })
      expect(error.code).toBe('CREDENTIAL_ORIGIN')
      expect(error.message).toMatch(new RegExp(`^Credential ${credential} is only sent under`))
    }
    expect((await elsewhere.received()).requests).toEqual([])
    expect((await received(app.apiBase)).length).toBe(apiCalls)
  })

  it('a generic account without a baseUrl is sent nowhere', async () => {
    const app = await oauthApp()
    const credential = await connectedCredential(app, { preset: 'generic' }, { baseUrl: null })
    const error = await nodeFailure(httpRequest, { credential, url: `${app.apiBase}/v1/userinfo` })
    expect(error.code).toBe('CREDENTIAL_ORIGIN')
    expect(error.message).toContain('set its baseUrl')
  })

  it('drops the token when a redirect leaves the API', async () => {
    const api = fakeUpstream()
    const elsewhere = fakeUpstream()
    await api.program([
      {
        path: '/moved',
        responses: [{ status: 302, headers: { location: elsewhere.url('/landing') } }],
      },
    ])
    const { app, tokens } = await googleApp()
    const credential = await connectedCredential(app, { preset: 'generic' }, { baseUrl: api.base })
    await runNode(httpRequest, { credential, url: api.url('/moved') })
    const [first] = (await api.received()).requests.filter((r) => r.path === '/moved')
    expect((first!.headers as Record<string, string>).authorization).toBe(`Bearer ${tokens[0]}`)
    const [landed] = (await elsewhere.received()).requests
    expect(landed!.path).toBe('/landing')
    expect(landed!.headers).not.toHaveProperty('authorization')
  })
})
