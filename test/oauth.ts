import { SELF } from 'cloudflare:test'
import { createCredential } from './credentials'
import { admin } from './helpers'

/** The redirect URI AutomateOS answers with when tests reach it at http://automateos.test. */
export const REDIRECT_URI = 'http://automateos.test/oauth/callback'

export type OAuthApp = {
  clientId: string
  clientSecret: string
  host: string
  authorizeUrl: string
  tokenUrl: string
  /** A Google API base of the test's own (userinfo, Gmail, Calendar, Sheets fakes). */
  apiBase: string
  email: string
}

/**
 * Registers an app at the fake authorization server (test/fake-upstream/oauth.js), on a host of
 * the test's own; options as its /__oauth/clients takes them.
 */
export async function oauthApp(options: Record<string, unknown> = {}): Promise<OAuthApp> {
  const id = crypto.randomUUID().slice(0, 8)
  const host = `https://oauth-${id}.upstream.test`
  const app = {
    clientId: `client-${id}.apps.example.com`,
    clientSecret: `GOCSPX-secret-${crypto.randomUUID()}`,
    host,
    authorizeUrl: `${host}/authorize`,
    tokenUrl: `${host}/token`,
    apiBase: `https://google-api-${id}.upstream.test`,
    email: `user-${id}@example.com`,
  }
  await fetch(`${host}/__oauth/clients`, {
    method: 'POST',
    body: JSON.stringify({
      client_id: app.clientId,
      client_secret: app.clientSecret,
      redirect_uris: [REDIRECT_URI],
      email: app.email,
      ...options,
    }),
  })
  return app
}

export async function oauthAdmin(app: OAuthApp, path: string, body: unknown = {}) {
  const response = await fetch(`${app.host}${path}`, { method: 'POST', body: JSON.stringify(body) })
  return response.json()
}

/** An oauth2 credential for `app`, not connected yet. */
export function oauthCredential(
  app: OAuthApp,
  data: Record<string, unknown> = {},
  options: { baseUrl?: string | null; name?: string } = {},
) {
  return createCredential(
    'oauth2',
    {
      preset: 'google',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authorizeUrl: app.authorizeUrl,
      tokenUrl: app.tokenUrl,
      revokeUrl: `${app.host}/revoke`,
      ...data,
    },
    {
      ...(options.baseUrl === null ? {} : { baseUrl: options.baseUrl ?? app.apiBase }),
      ...(options.name ? { name: options.name } : {}),
    },
  )
}

/** POST …/connect: the authorize URL and the browser cookie set on the answer. */
export async function startConnect(name: string, cookie?: string) {
  const response = await admin(`/api/credentials/${name}/connect`, {
    method: 'POST',
    headers: cookie ? { cookie } : {},
  })
  if (response.status !== 200)
    throw new Error(`connect: ${response.status} ${await response.text()}`)
  const body = (await response.json()) as { authorizeUrl: string; redirectUri: string }
  const setCookie = response.headers.get('set-cookie') ?? ''
  return { ...body, cookie: setCookie.split(';')[0]!, setCookie }
}

/** The browser at the provider: it consents, and the provider answers with the callback URL. */
export async function consent(authorizeUrl: string) {
  const response = await fetch(authorizeUrl, { redirect: 'manual' })
  const location = response.headers.get('location')
  if (response.status !== 302 || !location)
    throw new Error(`authorize: ${response.status} ${await response.text()}`)
  return location
}

/**
 * The browser back at AutomateOS: the callback's page, and where it sends the browser on to (the
 * credential's page, with `connected=1` or the `problem` in words).
 */
export async function callback(url: string, cookie?: string) {
  const response = await SELF.fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
  const page = await response.text()
  const href = /<a id="back" href="([^"]+)"/.exec(page)?.[1]?.replace(/&amp;/g, '&') ?? ''
  return {
    status: response.status,
    next: href,
    problem: new URL(href, 'http://x').searchParams.get('problem') ?? '',
  }
}

/** A credential connected through the whole flow; returns its name. */
export async function connectedCredential(
  app: OAuthApp,
  data: Record<string, unknown> = {},
  options: { baseUrl?: string | null } = {},
) {
  const name = await oauthCredential(app, data, options)
  const started = await startConnect(name)
  const answer = await callback(await consent(started.authorizeUrl), started.cookie)
  if (!answer.next.includes('connected=1'))
    throw new Error(`callback: ${answer.status} ${answer.next}`)
  return name
}

export async function tokenRequests(app: OAuthApp) {
  const response = await fetch(`${app.host}/__requests`)
  const { requests } = (await response.json()) as {
    requests: {
      method: string
      path: string
      headers: Record<string, string>
      body: unknown
      query: Record<string, string>
    }[]
  }
  return requests.filter((r) => r.path === '/token')
}
