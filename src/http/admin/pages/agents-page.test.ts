import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'

describe('AI agents page', () => {
  it('shows the MCP URL, the workflows that are tools, and setup snippets', async () => {
    await createWorkflow({
      name: 'Agent page tool',
      mcp: { tool: 'page_tool', description: 'A tool', input: { type: 'object' } },
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const session = await signedIn()
    const { html } = await session.page('/admin/agents')
    expect(html).toContain('http://automateos.test/mcp')
    expect(html).toContain('<code>page_tool</code>')
    expect(html).toContain('Agent page tool')
    expect(html).toContain(
      'claude mcp add --transport http automateos http://automateos.test/mcp --header &quot;Authorization: Bearer &lt;your API token&gt;&quot;',
    )
    expect(html).toContain('&quot;mcpServers&quot;')
    expect(html).toContain('href="/admin/agents"')
  })

  it('creates a token shown once, which works at /mcp, then revokes it', async () => {
    const session = await signedIn()
    const created = await session.post('/admin/agents/tokens', {
      name: 'page-agent',
      scopes: 'run',
    })
    expect(created.status).toBe(200)
    const token = /aos_[A-Za-z0-9_-]{43}/.exec(created.html)![0]
    expect(created.html).toContain(`Bearer ${token}`)

    const list = await session.page('/admin/agents')
    expect(list.html).toContain('page-agent')
    expect(list.html).not.toContain(token)
    const id = /id="token-(tok_[A-Za-z0-9_-]+)"/.exec(list.html)![1]!

    const mcp = () =>
      SELF.fetch('http://automateos.test/mcp', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      })
    expect((await mcp()).status).toBe(200)
    const revoked = await session.post(`/admin/agents/tokens/${id}/revoke`)
    expect(revoked.location).toBe('/admin/agents?done=revoked')
    expect((await mcp()).status).toBe(401)
  })

  it('shows a refusal naming the field', async () => {
    const session = await signedIn()
    const refused = await session.post('/admin/agents/tokens', { name: 'no-scopes' })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('scopes')
  })
})
