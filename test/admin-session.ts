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
