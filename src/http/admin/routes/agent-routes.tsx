import { Hono } from 'hono'
import type { Context } from 'hono'
import { listTokens } from '../../../store/api-tokens'
import { listWorkflows } from '../../../store/workflows'
import { originOf } from '../../origin'
import type { AdminEnv } from '../admin-env'
import type { ShownError } from '../components/field-errors'
import { render } from '../components/page-context'
import { AgentsPage } from '../pages/agents-page'
import { apiCall } from './api-call'

// /admin/agents: the MCP URL and setup, the workflows that are tools, and API tokens. Tokens
// are made and revoked through /api/tokens, so the page gets the API's checks.
export const agentPages = new Hono<AdminEnv>()

const DAY_MS = 86_400_000

async function page(
  c: Context<AdminEnv>,
  extra: { created?: { name: string; token: string }; errors?: ShownError[] } = {},
) {
  const [workflows, tokens] = await Promise.all([listWorkflows(c.env.DB), listTokens(c.env.DB)])
  const tools = workflows.flatMap((w) =>
    w.mcp ? [{ id: w.id, name: w.name, tool: w.mcp.tool, enabled: w.enabled }] : [],
  )
  const notice = c.req.query('done') === 'revoked' ? 'Revoked.' : undefined
  return (
    <AgentsPage
      mcpUrl={`${originOf(c)}/mcp`}
      tools={tools}
      workflows={workflows.map((w) => ({ id: w.id, name: w.name }))}
      tokens={tokens}
      notice={notice}
      {...extra}
    />
  )
}

agentPages.get('/', async (c) => render(c, await page(c)))

agentPages.post('/tokens', async (c) => {
  const body = await c.req.parseBody({ all: true })
  const list = (value: unknown) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    )
  const days = typeof body.expiresInDays === 'string' ? Number(body.expiresInDays) : NaN
  const workflows = list(body.workflows)
  const answer = await apiCall(c, 'POST', '/api/tokens', {
    name: typeof body.name === 'string' ? body.name : '',
    scopes: list(body.scopes),
    ...(Number.isFinite(days) && days > 0
      ? { expiresAt: new Date(Date.now() + days * DAY_MS).toISOString() }
      : {}),
    ...(workflows.length ? { workflows } : {}),
  })
  if (answer.status !== 201) {
    const errors = answer.fieldErrors.length
      ? answer.fieldErrors.map((e) => ({ path: e.path, message: e.message }))
      : [{ message: answer.message ?? 'Refused.' }]
    return render(c, await page(c, { errors }), 400)
  }
  // Shown in this answer only: never a redirect whose page could be reloaded from a cache.
  c.header('Cache-Control', 'no-store')
  return render(c, await page(c, { created: { name: answer.body.name, token: answer.body.token } }))
})

agentPages.post('/tokens/:id/revoke', async (c) => {
  await apiCall(c, 'DELETE', `/api/tokens/${encodeURIComponent(c.req.param('id'))}`)
  return c.redirect('/admin/agents?done=revoked', 303)
})
