import { SELF } from 'cloudflare:test'
import { ADMIN_TOKEN } from './helpers'

export const BASE = 'http://automateos.test'

export function postForm(path: string, fields: Record<string, string>, headers = {}) {
  return SELF.fetch(`${BASE}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  })
}

/** The `name=value` part of the session cookie the login answers with. */
export async function login(): Promise<string> {
  const response = await postForm('/admin/login', { token: ADMIN_TOKEN })
  if (response.status !== 303) throw new Error(`login failed: ${response.status}`)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

export async function page(path: string, cookie?: string) {
  const response = await SELF.fetch(`${BASE}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  })
  return { status: response.status, headers: response.headers, html: await response.text() }
}

/** The CSRF token a signed-in page's forms carry. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([0-9a-f]+)"/.exec(html)
  if (!match) throw new Error('no CSRF field on the page')
  return match[1]!
}

/** A signed-in browser: reads pages, and posts forms with the session's CSRF token. */
export async function signedIn() {
  const cookie = await login()
  const csrf = csrfOf((await page('/admin/nodes', cookie)).html)
  return {
    cookie,
    csrf,
    page: (path: string) => page(path, cookie),
    async post(path: string, fields: Record<string, string> = {}) {
      const response = await postForm(path, { _csrf: csrf, ...fields }, { cookie })
      return {
        status: response.status,
        location: response.headers.get('location'),
        html: await response.text(),
      }
    },
  }
}
