import { SELF, createExecutionContext, env } from 'cloudflare:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { app } from '../../app'
import { BUILT_IN_TOOL_NAMES } from '../../workflow/mcp-tool'
import { login, page } from '../../../test/admin-session'
import { createToken } from '../../../test/api-tokens'
import {
  admin,
  createWorkflow,
  postAndWait,
  waitForRun,
  type PublicWorkflow,
} from '../../../test/helpers'
import { BUILT_IN_NAMES } from './builtin-tools'

const MCP_URL = new URL('http://automateos.test/mcp')

type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>
const viaSelf: Fetch = (url, init) => SELF.fetch(url, init)

/** The official MCP client, connected to the Worker with this bearer token. */
async function connect(token: string, fetch: Fetch = viaSelf) {
  const client = new Client({ name: 'automateos-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(MCP_URL, {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch,
  })
  await client.connect(transport)
  return client
}

type ToolText = { isError?: boolean; content: { type: string; text: string }[] }
const textOf = (result: unknown) => JSON.parse((result as ToolText).content[0]!.text)

let invoice: PublicWorkflow
let failing: PublicWorkflow
let slow: PublicWorkflow
let unlisted: PublicWorkflow

beforeAll(async () => {
  invoice = await createWorkflow({
    name: 'mcp: create invoice',
    mcp: {
      tool: 'create_invoice',
      description: 'Creates an invoice for a customer',
      input: {
        type: 'object',
        properties: { customer: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
        required: ['customer', 'amount'],
        additionalProperties: false,
      },
    },
    nodes: [
      {
        id: 'shape',
        type: 'transform',
        config: { expression: '{ "invoice": "INV-" & customer, "total": amount * 2 }' },
      },
    ],
  })
  failing = await createWorkflow({
    name: 'mcp: failing',
    mcp: { tool: 'always_fails', description: 'Fails', input: { type: 'object' } },
    nodes: [{ id: 'boom', type: 'transform', config: { expression: '$error("no stock")' } }],
  })
  slow = await createWorkflow({
    name: 'mcp: slow',
    mcp: {
      tool: 'wait_for_approval',
      description: 'Waits for a person',
      input: { type: 'object' },
    },
    nodes: [{ id: 'approval', type: 'wait-for-webhook', config: { timeoutSeconds: 3600 } }],
  })
  unlisted = await createWorkflow({
    name: 'mcp: not a tool',
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
  })
})

describe('the MCP server at /mcp', () => {
  it('lists the opted-in workflows with their input schemas, and the built-ins the token allows', async () => {
    const { token } = await createToken({ scopes: ['read', 'run', 'write'] })
    const client = await connect(token)
    expect(client.getServerVersion()?.name).toBe('automateos')
    const { tools } = await client.listTools()
    const names = tools.map((t) => t.name)
    expect(names).toEqual(expect.arrayContaining([...BUILT_IN_NAMES, 'create_invoice']))
    expect(names).not.toContain(unlisted.name)
    const tool = tools.find((t) => t.name === 'create_invoice')!
    expect(tool.description).toBe('Creates an invoice for a customer')
    expect(tool.inputSchema).toMatchObject({ required: ['customer', 'amount'] })
    const list = tools.find((t) => t.name === 'list_workflows')!
    expect(list.annotations).toMatchObject({ readOnlyHint: true })
    expect(list.outputSchema).toMatchObject({ type: 'object' })
    expect(tools.find((t) => t.name === 'save_workflow')!.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    })
    await client.close()
  })

  it('answers a workflow tool with the run output', async () => {
    const { token } = await createToken({ scopes: ['run'] })
    const client = await connect(token)
    const result = await client.callTool({
      name: 'create_invoice',
      arguments: { customer: 'ACME', amount: 21 },
    })
    expect(result.isError).toBeFalsy()
    expect(result.structuredContent).toEqual({ invoice: 'INV-ACME', total: 42 })
    expect(textOf(result)).toEqual({ invoice: 'INV-ACME', total: 42 })
  })

  it('refuses bad arguments with a tool error naming the field, and starts no run', async () => {
    const { token } = await createToken({ scopes: ['run'] })
    const client = await connect(token)
    const before = await runCount(invoice.id)
    const wrongType = await client.callTool({
      name: 'create_invoice',
      arguments: { customer: 'ACME', amount: 'lots' },
    })
    expect(wrongType.isError).toBe(true)
    const error = textOf(wrongType).error
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.message).toContain('amount')
    expect(error.details).toContainEqual(expect.objectContaining({ path: 'amount' }))
    const missing = await client.callTool({ name: 'create_invoice', arguments: { amount: 1 } })
    expect(textOf(missing).error.message).toContain('customer')
    expect(await runCount(invoice.id)).toBe(before)
  })

  it('answers a failed run with a tool error naming the node and the reason', async () => {
    const { token } = await createToken({ scopes: ['run'] })
    const client = await connect(token)
    const result = await client.callTool({ name: 'always_fails', arguments: {} })
    expect(result.isError).toBe(true)
    const error = textOf(result).error
    expect(error.message).toContain("'boom'")
    expect(error.message).toContain('no stock')
    expect(error.details.node).toMatchObject({ id: 'boom' })
    expect(error.details.runId).toEqual(expect.any(String))
  })

  it('answers a run that takes longer than the wait with its run id and status URL', async () => {
    const { token } = await createToken({ name: 'claude-desktop', scopes: ['run'] })
    // The same Worker with a short wait (MCP_WAIT_MS), so the test does not sit out 25 s.
    const shortWait: Fetch = async (url, init) =>
      app.fetch(new Request(url, init), { ...env, MCP_WAIT_MS: '200' }, createExecutionContext())
    const client = await connect(token, shortWait)
    const result = await client.callTool({ name: 'wait_for_approval', arguments: {} })
    expect(result.isError).toBeFalsy()
    const started = result.structuredContent as { runId: string; statusUrl: string; status: string }
    expect(started.status).toBe('running')
    expect(started.statusUrl).toBe(`http://automateos.test/api/runs/${started.runId}`)
    const run = await admin(`/api/runs/${started.runId}`)
    expect(run.status).toBe(200)
    const body = (await run.json()) as { workflowId: string; trigger: Record<string, unknown> }
    expect(body.workflowId).toBe(slow.id)
    // Recorded as an agent's call, naming the tool and the token (its name, never its secret).
    expect(body.trigger).toMatchObject({
      type: 'mcp',
      tool: 'wait_for_approval',
      calledBy: 'claude-desktop',
    })
    expect(JSON.stringify(body)).not.toContain(token)
    const runPage = await page(`/admin/runs/${started.runId}`, await login())
    expect(runPage.html).toContain('mcp: tool wait_for_approval, called by claude-desktop')
  })

  it('lets a read token list and read, but not start or save', async () => {
    const { token } = await createToken({ scopes: ['read'] })
    const client = await connect(token)
    const names = (await client.listTools()).tools.map((t) => t.name)
    expect(names).toEqual(
      expect.arrayContaining(['list_workflows', 'get_workflow', 'get_run', 'validate_workflow']),
    )
    for (const refused of [
      'start_run',
      'save_workflow',
      'publish_workflow',
      'replay_run',
      'create_invoice',
    ])
      expect(names).not.toContain(refused)
    const listed = await client.callTool({ name: 'list_workflows', arguments: {} })
    const workflows = (listed.structuredContent as { workflows: { id: string; tool?: string }[] })
      .workflows
    expect(workflows.find((w) => w.id === invoice.id)?.tool).toBe('create_invoice')
    await expect(
      client.callTool({ name: 'start_run', arguments: { workflowId: invoice.id } }),
    ).rejects.toThrow(/Unknown tool/)
    await expect(
      client.callTool({ name: 'save_workflow', arguments: { definition: {} } }),
    ).rejects.toThrow(/Unknown tool/)
  })

  it('runs the built-ins through the API: validate, save, start, get a run, list failures, resume', async () => {
    const { token } = await createToken({ scopes: ['read', 'run', 'write'] })
    const client = await connect(token)
    const bad = await client.callTool({
      name: 'validate_workflow',
      arguments: { definition: { name: 'x', nodes: [{ id: 'a', type: 'no-such-node' }] } },
    })
    expect(bad.structuredContent).toEqual({
      valid: false,
      errors: [{ path: 'nodes.0.type', message: "unknown node type 'no-such-node'" }],
    })
    const definition = {
      name: 'mcp: saved by an agent',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '{ "got": $ }' } }],
    }
    const good = await client.callTool({ name: 'validate_workflow', arguments: { definition } })
    expect(good.structuredContent).toEqual({ valid: true, errors: [] })
    const saved = await client.callTool({ name: 'save_workflow', arguments: { definition } })
    const id = (saved.structuredContent as { id: string }).id
    expect((await admin(`/api/workflows/${id}`)).status).toBe(200)
    const refused = await client.callTool({
      name: 'save_workflow',
      arguments: { definition: { name: '', nodes: [] } },
    })
    expect(refused.isError).toBe(true)
    expect(textOf(refused).error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['name', 'nodes']),
    )

    const started = await client.callTool({
      name: 'start_run',
      arguments: { workflowId: id, input: { a: 1 } },
    })
    const { runId } = started.structuredContent as { runId: string }
    await waitForRun(runId)
    const run = await client.callTool({ name: 'get_run', arguments: { id: runId } })
    expect(run.structuredContent).toMatchObject({
      status: 'succeeded',
      output: { got: { a: 1 } },
      steps: [expect.objectContaining({ nodeId: 'echo' })],
    })

    const failed = await client.callTool({
      name: 'start_run',
      arguments: { workflowId: failing.id },
    })
    const failedId = (failed.structuredContent as { runId: string }).runId
    await waitForRun(failedId)
    const failures = await client.callTool({
      name: 'list_failures',
      arguments: { workflowId: failing.id },
    })
    const runs = (failures.structuredContent as { runs: { id: string }[] }).runs
    expect(runs.map((r) => r.id)).toContain(failedId)
    const resumed = await client.callTool({ name: 'resume_run', arguments: { id: failedId } })
    expect(resumed.structuredContent).toMatchObject({ runId: expect.any(String) })
    const replayed = await client.callTool({ name: 'replay_run', arguments: { id: runId } })
    expect(replayed.structuredContent).toMatchObject({ runId: expect.any(String) })
    const missing = await client.callTool({ name: 'get_run', arguments: { id: 'nope' } })
    expect(missing.isError).toBe(true)
    expect(textOf(missing).error.code).toBe('NOT_FOUND')
  })

  it('saves an existing workflow as a draft its webhook does not run, until publish_workflow', async () => {
    const { token } = await createToken({ scopes: ['read', 'run', 'write'] })
    const client = await connect(token)
    const echo = (ran: string) => ({
      name: 'mcp: drafted by an agent',
      nodes: [{ id: ran, type: 'transform', config: { expression: `{ "ran": "${ran}" }` } }],
    })
    const tools = (await client.listTools()).tools
    expect(tools.find((t) => t.name === 'publish_workflow')!.annotations).toMatchObject({
      readOnlyHint: false,
    })
    const created = await client.callTool({
      name: 'save_workflow',
      arguments: { definition: echo('live') },
    })
    const workflow = created.structuredContent as { id: string; webhookUrl: string }
    expect(workflow.webhookUrl).toEqual(expect.any(String))

    // The draft also opts in as a tool: no tool until it is published.
    const asTool = {
      ...echo('drafted'),
      mcp: { tool: 'drafted_by_agent', description: 'Says which version ran' },
    }
    const drafted = await client.callTool({
      name: 'save_workflow',
      arguments: { id: workflow.id, definition: asTool },
    })
    expect(drafted.isError).toBeFalsy()
    expect(drafted.structuredContent).toMatchObject({
      id: workflow.id,
      version: 1,
      draft: { definition: { nodes: [{ id: 'drafted' }] } },
    })
    const read = await client.callTool({ name: 'get_workflow', arguments: { id: workflow.id } })
    expect(read.structuredContent).toMatchObject({
      version: 1,
      draft: { savedAt: expect.any(String) },
    })
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'live' })
    const toolNames = async () => (await client.listTools()).tools.map((t) => t.name)
    expect(await toolNames()).not.toContain('drafted_by_agent')

    const published = await client.callTool({
      name: 'publish_workflow',
      arguments: { id: workflow.id },
    })
    expect(published.structuredContent).toMatchObject({ id: workflow.id, version: 2 })
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'drafted' })
    expect(await toolNames()).toContain('drafted_by_agent')
    const nothing = await client.callTool({
      name: 'publish_workflow',
      arguments: { id: workflow.id },
    })
    expect(nothing.isError).toBe(true)
    expect(textOf(nothing).error.code).toBe('NO_DRAFT')
  })

  it('shows a token limited to one workflow only that tool, and it cannot start others', async () => {
    const { token } = await createToken({ scopes: ['run'], workflows: [invoice.id] })
    const client = await connect(token)
    const names = (await client.listTools()).tools.map((t) => t.name)
    expect(names).toContain('create_invoice')
    expect(names).not.toContain('always_fails')
    expect(names).not.toContain('wait_for_approval')
    const other = await client.callTool({
      name: 'start_run',
      arguments: { workflowId: failing.id },
    })
    expect(other.isError).toBe(true)
    expect(textOf(other).error.code).toBe('FORBIDDEN')
  })

  it('refuses a revoked, an expired or no token with 401', async () => {
    const revoked = await createToken({ scopes: ['read'] })
    await admin(`/api/tokens/${revoked.id}`, { method: 'DELETE' })
    await expect(connect(revoked.token)).rejects.toMatchObject({ code: 401 })
    const expired = await createToken({
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    })
    await env.DB.prepare('UPDATE api_tokens SET expires_at = 1 WHERE id = ?').bind(expired.id).run()
    await expect(connect(expired.token)).rejects.toMatchObject({ code: 401 })
    const none = await SELF.fetch(MCP_URL, { method: 'POST', body: '{}' })
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Bearer')
  })

  it('answers a 2025-06-18 initialize, and refuses GET with 405', async () => {
    const { token } = await createToken({ scopes: ['read'] })
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    }
    const response = await SELF.fetch(MCP_URL, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'old-client', version: '0.1' },
        },
      }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { result: { protocolVersion: string } }
    expect(body.result.protocolVersion).toBe('2025-06-18')
    const get = await SELF.fetch(MCP_URL, { headers })
    expect(get.status).toBe(405)
  })

  it('answers malformed requests from a valid token with a 4xx, never a 5xx', async () => {
    // An empty batch holds no request: the SDK answers 202 with nothing, as for notifications.
    const empty = await SELF.fetch(MCP_URL, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(await createToken({ scopes: ['read'] })).token}`,
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
      },
      body: '[]',
    })
    expect(empty.status).toBe(202)
    const { token } = await createToken({ scopes: ['admin'] })
    const json = 'application/json, text/event-stream'
    const cases: [Record<string, string>, string][] = [
      [{ accept: json, 'content-type': 'application/json' }, '{not json'],
      [{ accept: json, 'content-type': 'application/json' }, '{"jsonrpc":"1.0","id":1}'],
      [{ accept: json, 'content-type': 'text/plain' }, '{}'],
      [{ accept: 'text/html', 'content-type': 'application/json' }, '{}'],
      [{ accept: json, 'content-type': 'application/json' }, 'x'.repeat(1024 * 1024 + 1)],
    ]
    for (const [headers, body] of cases) {
      const response = await SELF.fetch(MCP_URL, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...headers },
        body,
      })
      expect(response.status, body.slice(0, 40)).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
    }
  })

  it('reserves the built-in tool names in the workflow format', async () => {
    expect([...BUILT_IN_NAMES].sort()).toEqual([...BUILT_IN_TOOL_NAMES].sort())
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'clash',
        mcp: { tool: 'get_run', description: 'x', input: { type: 'string' } },
        nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
      },
    })
    expect(response.status).toBe(400)
    const paths = (
      (await response.json()) as { error: { details: { path: string }[] } }
    ).error.details.map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['mcp.tool', 'mcp.input.type']))

    // A tool name belongs to one workflow; saving that workflow again keeps it.
    const taken = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'second invoice tool',
        mcp: { tool: 'create_invoice', description: 'x' },
        nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
      },
    })
    expect(taken.status).toBe(400)
    expect(await taken.text()).toContain(`is already the tool of workflow ${invoice.id}`)
    const added = ['id', 'version', 'webhookUrl', 'createdAt', 'updatedAt']
    const definition = Object.fromEntries(
      Object.entries(invoice).filter(([key]) => !added.includes(key)),
    )
    const again = await admin(`/api/workflows/${invoice.id}`, { method: 'PUT', json: definition })
    expect(again.status).toBe(200)
  })
})

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}
