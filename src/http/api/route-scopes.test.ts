import { SELF, env } from 'cloudflare:test'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../app'
import { SCOPES, type Scope } from '../../store/api-tokens'
import { createToken } from '../../../test/api-tokens'
import { admin, createWorkflow } from '../../../test/helpers'
import { ROUTE_SCOPES } from './route-scopes'

const BASE = 'http://automateos.test'

// Every /api route the app has, as app.routes lists them: a new route is covered by this file
// without anyone adding it here, and one missing from ROUTE_SCOPES fails the first test.
const apiRoutes = [
  ...new Set(
    app.routes
      .filter((r) => !r.path.includes('*') && r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path}`),
  ),
]

const tokens = new Map<Scope, string>()
let allButAdmin: Record<Scope, string>

beforeAll(async () => {
  for (const scope of SCOPES) tokens.set(scope, (await createToken({ scopes: [scope] })).token)
  // For each scope, a token holding every other scope except admin.
  allButAdmin = Object.fromEntries(
    await Promise.all(
      SCOPES.map(async (scope) => {
        const others = SCOPES.filter((s) => s !== scope && s !== 'admin')
        return [scope, (await createToken({ scopes: others })).token]
      }),
    ),
  ) as Record<Scope, string>
})

let ip = 0
function call(route: string, token: string) {
  const [method, path] = route.split(' ') as [string, string]
  const url = `${BASE}${path.replace(/:[A-Za-z]+/g, 'x')}`
  return SELF.fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'cf-connecting-ip': `198.19.7.${++ip % 250}`,
    },
    body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
    redirect: 'manual',
  })
}

describe('every /api route declares its scope', () => {
  it('finds the routes, and each one is in the scope table (and the table has no stale entry)', () => {
    expect(apiRoutes.length).toBeGreaterThan(20)
    expect(apiRoutes.filter((r) => !(r in ROUTE_SCOPES))).toEqual([])
    expect(Object.keys(ROUTE_SCOPES).filter((r) => !apiRoutes.includes(r))).toEqual([])
  })

  it.each(apiRoutes)(
    '%s refuses a token without its scope, and lets one with it through',
    async (route) => {
      const scope = ROUTE_SCOPES[route]!
      const refused = await call(route, allButAdmin[scope])
      expect(refused.status).toBe(403)
      const body = (await refused.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('FORBIDDEN')
      expect(body.error.message).toContain(`'${scope}'`)

      for (const token of [tokens.get(scope)!, tokens.get('admin')!]) {
        const allowed = await call(route, token)
        expect([401, 403]).not.toContain(allowed.status)
      }
    },
  )
})

describe('API tokens', () => {
  it('are shown once, stored only as a hash, listed without the token, and revoked', async () => {
    const created = await createToken({ name: 'lister', scopes: ['read'] })
    expect(created.token).toMatch(/^aos_[A-Za-z0-9_-]{43}$/)
    const row = await env.DB.prepare('SELECT * FROM api_tokens WHERE id = ?')
      .bind(created.id)
      .first<Record<string, unknown>>()
    expect(JSON.stringify(row)).not.toContain(created.token)
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(created.token))
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
    expect(row!.token_hash).toBe(hex)

    const read = (token: string) =>
      SELF.fetch(`${BASE}/api/workflows`, { headers: { authorization: `Bearer ${token}` } })
    expect((await read(created.token)).status).toBe(200)

    const list = await SELF.fetch(`${BASE}/api/tokens`, {
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
    })
    const text = await list.text()
    expect(text).not.toContain(created.token)
    const listed = (JSON.parse(text) as { tokens: Record<string, unknown>[] }).tokens.find(
      (t) => t.id === created.id,
    )!
    expect(listed).toMatchObject({ name: 'lister', scopes: ['read'] })
    expect(typeof listed.createdAt).toBe('string')
    expect(typeof listed.lastUsedAt).toBe('string')

    const revoke = await SELF.fetch(`${BASE}/api/tokens/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
    })
    expect(revoke.status).toBe(204)
    const after = await read(created.token)
    expect(after.status).toBe(401)
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED')
  })

  it('stop working when they expire', async () => {
    const created = await createToken({
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    })
    await env.DB.prepare('UPDATE api_tokens SET expires_at = ? WHERE id = ?')
      .bind(Date.now() - 1, created.id)
      .run()
    const response = await SELF.fetch(`${BASE}/api/workflows`, {
      headers: { authorization: `Bearer ${created.token}` },
    })
    expect(response.status).toBe(401)
  })

  it('refuse a bad body naming the field', async () => {
    const response = await SELF.fetch(`${BASE}/api/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
      body: JSON.stringify({ name: 'x', scopes: ['root'], workflows: ['wf_missing'] }),
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details.map((d) => d.path)).toContain('scopes.0')
    const past = await SELF.fetch(`${BASE}/api/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
      body: JSON.stringify({ name: 'x', scopes: ['read'], expiresAt: '2001-01-01T00:00:00Z' }),
    })
    expect(past.status).toBe(400)
    expect(await past.text()).toContain('expiresAt')
    const unknown = await SELF.fetch(`${BASE}/api/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get('admin')}` },
      body: JSON.stringify({ name: 'x', scopes: ['run'], workflows: ['wf_missing'] }),
    })
    expect(unknown.status).toBe(400)
    expect(await unknown.text()).toContain('workflows.0')
  })

  it('limited to workflows may start only those', async () => {
    const mine = await createWorkflow({
      name: 'scoped: mine',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const other = await createWorkflow({
      name: 'scoped: other',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const { token } = await createToken({ scopes: ['run'], workflows: [mine.id] })
    const start = (id: string) =>
      SELF.fetch(`${BASE}/api/workflows/${id}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: '{}',
      })
    expect((await start(mine.id)).status).toBe(202)
    const refused = await start(other.id)
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain(other.id)
  })

  it('ADMIN_TOKEN still reaches every route, tokens included', async () => {
    expect((await admin('/api/tokens')).status).toBe(200)
  })
})
