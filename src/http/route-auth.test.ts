import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../app'
import { ADMIN_TOKEN } from '../../test/helpers'

const BASE = 'http://automateos.test'

// Routes anyone may call. Everything else is admin: /api and /mcp by bearer token (ADMIN_TOKEN or
// a scoped API token, route-scopes.test.ts), /admin by session.
const PUBLIC = new Set([
  'GET /healthz',
  'GET /',
  // The token in the path, or in X-AutomateOS-Token.
  'POST /hooks/:workflowId/:token?',
  'PUT /hooks/:workflowId/:token?',
  'GET /hooks/:workflowId/:token?',
  'POST /hooks/resume/:runId/:nodeId/:token',
  'PUT /hooks/resume/:runId/:nodeId/:token',
  'GET /hooks/resume/:runId/:nodeId/:token',
  'GET /admin/login',
  'POST /admin/login',
  'POST /admin/logout',
  // A provider's redirect back after consent: admitted by its one-time state and browser cookie.
  'GET /oauth/callback',
])

const routes = [
  ...new Set(
    app.routes
      // Middleware (adminAuth, headers) is registered for patterns; the routes are the rest.
      .filter((r) => !r.path.includes('*'))
      .map((r) => `${r.method === 'ALL' ? 'GET' : r.method} ${r.path}`),
  ),
]
let ip = 0
const nextIp = () => `198.18.${Math.floor(++ip / 250)}.${ip % 250}`

function call(route: string, headers: Record<string, string>, query = '') {
  const [method, path] = route.split(' ') as [string, string]
  const url = `${BASE}${path.replace(/:[A-Za-z]+/g, 'x')}${query}`
  const body = method === 'GET' || method === 'HEAD' ? undefined : '{}'
  // A fresh address each time: this test sends many wrong tokens on purpose.
  return SELF.fetch(url, {
    method,
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': nextIp(), ...headers },
    body,
    redirect: 'manual',
  })
}

describe('every route is public or admin', () => {
  it('finds the routes', () => {
    expect(routes.filter((r) => r.includes(' /api/')).length).toBeGreaterThan(10)
  })

  const almost = ADMIN_TOKEN.slice(0, -1) + (ADMIN_TOKEN.endsWith('a') ? 'b' : 'a')
  const bearer = (r: string) => r.includes(' /api/') || r.endsWith(' /mcp')
  it.each(routes.filter((r) => !PUBLIC.has(r) && bearer(r)))(
    '%s answers 401 without the right bearer token',
    async (route) => {
      const answers = [
        await call(route, {}),
        await call(route, { authorization: 'Bearer wrong-token' }),
        await call(route, {}, `?token=${ADMIN_TOKEN}&access_token=${ADMIN_TOKEN}`),
        await call(route, { authorization: `Bearer ${almost}` }),
        await call(route, { authorization: ADMIN_TOKEN }),
        // Shaped like an API token, but no such token exists.
        await call(route, { authorization: `Bearer aos_${'x'.repeat(43)}` }),
      ]
      for (const response of answers) {
        expect(response.status).toBe(401)
        const text = await response.text()
        expect(JSON.parse(text).error.code).toBe('UNAUTHORIZED')
        expect(text).not.toContain(ADMIN_TOKEN)
      }
    },
  )

  it.each(routes.filter((r) => !PUBLIC.has(r) && !bearer(r) && r.includes(' /admin')))(
    '%s shows only the sign-in form without a session',
    async (route) => {
      const variants: Record<string, string>[] = [{}, { authorization: `Bearer ${ADMIN_TOKEN}` }]
      for (const headers of variants) {
        const response = await call(route, headers, `?token=${ADMIN_TOKEN}`)
        expect([401, 403]).toContain(response.status)
        expect(response.headers.get('set-cookie')).toBeNull()
      }
    },
  )

  it('has no route outside /api, /mcp, /admin and the public list', () => {
    const other = routes.filter((r) => !PUBLIC.has(r) && !bearer(r) && !r.includes(' /admin'))
    expect(other).toEqual([])
  })
})
