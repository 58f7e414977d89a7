import { describe, expect, it } from 'vitest'
import { AutomateError } from '../src/errors'
import { createCredential } from '../test/credentials'
import { createWorkflow, fakeUpstream, postWebhook, waitForRun } from '../test/helpers'
import { nodeContext } from '../test/node-context'
import mcpCall from './mcp-call'

// The fake MCP server is test/fake-upstream/mcp.js, answering every `mcp-*` host.
const server = (prefix = 'mcp') => fakeUpstream(`${prefix}-${crypto.randomUUID().slice(0, 8)}`)

async function failure(config: Record<string, unknown>) {
  try {
    await mcpCall.run(null, nodeContext(mcpCall, config))
  } catch (error) {
    expect(error).toBeInstanceOf(AutomateError)
    return error as AutomateError
  }
  return expect.fail('the node should have failed')
}

type Sent = { method: string; headers: Record<string, string>; body: Record<string, unknown> }

describe('mcp-call', () => {
  it('calls a tool with templated arguments, sends the bearer token, and outputs its structured result', async () => {
    const upstream = server('mcp-auth')
    const credential = await createCredential(
      'http-bearer',
      { token: 'mcp-secret-token' },
      { baseUrl: upstream.base },
    )
    const workflow = await createWorkflow({
      name: 'mcp-call: lookup',
      nodes: [
        {
          id: 'lookup',
          type: 'mcp-call',
          config: {
            url: upstream.url('/mcp'),
            credential,
            tool: 'lookup_order',
            arguments: { orderId: '{{ input.order }}' },
          },
        },
      ],
    })
    const accepted = (await (await postWebhook(workflow, { order: 'A-7' })).json()) as {
      runId: string
    }
    const run = await waitForRun(accepted.runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ orderId: 'A-7', status: 'shipped' })

    const sent = (await upstream.received()).requests as Sent[]
    const posts = sent.filter((r) => r.method === 'POST')
    const methods = posts.map((r) => r.body.method)
    expect(methods).toEqual(['initialize', 'notifications/initialized', 'tools/call'])
    const call = posts.find((r) => r.body.method === 'tools/call')!
    expect(call.body.params).toEqual({ name: 'lookup_order', arguments: { orderId: 'A-7' } })
    expect(call.headers['mcp-protocol-version']).toBe('2025-11-25')
    for (const request of sent)
      expect(request.headers.authorization).toBe('Bearer mcp-secret-token')
  })

  it('outputs the text of a tool that answers text only', async () => {
    const upstream = server()
    const output = await mcpCall.run(
      null,
      nodeContext(mcpCall, {
        url: upstream.url('/mcp'),
        tool: 'plain_text',
        arguments: { name: 'Ada' },
      }),
    )
    expect(output).toEqual({ text: 'hello Ada', content: [{ type: 'text', text: 'hello Ada' }] })
  })

  it("fails the step with the tool's own error", async () => {
    const error = await failure({
      url: server().url('/mcp'),
      tool: 'lookup_order',
      arguments: { orderId: 'missing' },
    })
    expect(error.code).toBe('MCP_TOOL_ERROR')
    expect(error.message).toContain('Order missing was not found')
  })

  it('fails the step naming an unknown tool, and a server that refuses the token', async () => {
    const unknown = await failure({ url: server().url('/mcp'), tool: 'nope' })
    expect(unknown.code).toBe('MCP_ERROR')
    expect(unknown.message).toContain('Unknown tool: nope')
    const refused = await failure({ url: server('mcp-auth').url('/mcp'), tool: 'lookup_order' })
    expect(refused.code).toBe('MCP_ERROR')
    expect(refused.message).toContain('HTTP 401')
  })

  it('sends its credential only under the credential baseUrl', async () => {
    const home = server('mcp-auth')
    const elsewhere = server('mcp-auth')
    const credential = await createCredential(
      'http-header',
      { name: 'X-Api-Key', value: 'mcp-header-secret' },
      { baseUrl: home.base },
    )
    const error = await failure({ url: elsewhere.url('/mcp'), credential, tool: 'lookup_order' })
    expect(error.code).toBe('CREDENTIAL_ORIGIN')
    expect((await elsewhere.received()).requests).toHaveLength(0)
    expect(JSON.stringify(error)).not.toContain('mcp-header-secret')
  })

  it('fails the step on an answer over the size limit', async () => {
    const upstream = server()
    await upstream.program([
      {
        method: 'POST',
        path: '/mcp',
        responses: [
          {
            status: 200,
            body: 'x'.repeat(5 * 1024 * 1024 + 1),
            headers: { 'content-type': 'application/json' },
          },
        ],
      },
    ])
    const error = await failure({ url: upstream.url('/mcp'), tool: 'lookup_order' })
    expect(error.code).toBe('MCP_ERROR')
    expect(error.message).toContain('over 5242880 bytes')
  })
})
