// A small MCP server (Streamable HTTP, stateless, JSON answers), for the mcp-call node. Rules
// from the transport spec (https://modelcontextprotocol.io/specification/2025-11-25/basic/transports):
// a POST must accept both application/json and text/event-stream (else 406, as the official
// SDK's server answers), a notification gets 202 with no body, a GET gets 405 when the server
// offers no stream, and after initialize every request names the protocol version in
// MCP-Protocol-Version (a version the server does not support is a 400). Tools and their
// results follow https://modelcontextprotocol.io/specification/2025-11-25/server/tools: an
// unknown tool is a JSON-RPC error -32602; a tool's own failure is a result with isError.
// A host `mcp-auth-*` wants `Authorization: Bearer mcp-secret-token` (else 401 with
// WWW-Authenticate, https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization).
import { bearerOf, json } from './reply.js'

const VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26']

const TOOLS = [
  {
    name: 'lookup_order',
    description: 'Finds an order',
    inputSchema: {
      type: 'object',
      properties: { orderId: { type: 'string' } },
      required: ['orderId'],
    },
    outputSchema: {
      type: 'object',
      properties: { orderId: { type: 'string' }, status: { type: 'string' } },
      required: ['orderId', 'status'],
    },
  },
  { name: 'plain_text', description: 'Answers text only', inputSchema: { type: 'object' } },
]

const rpcError = (id, code, message) => json(200, { jsonrpc: '2.0', id, error: { code, message } })
const result = (id, value) => json(200, { jsonrpc: '2.0', id, result: value })

function callTool(id, params) {
  const args = params?.arguments ?? {}
  if (params?.name === 'lookup_order') {
    if (typeof args.orderId !== 'string') {
      return result(id, {
        isError: true,
        content: [{ type: 'text', text: 'orderId must be a string' }],
      })
    }
    if (args.orderId === 'missing') {
      return result(id, {
        isError: true,
        content: [{ type: 'text', text: `Order ${args.orderId} was not found` }],
      })
    }
    const order = { orderId: args.orderId, status: 'shipped' }
    return result(id, {
      content: [{ type: 'text', text: JSON.stringify(order) }],
      structuredContent: order,
    })
  }
  if (params?.name === 'plain_text') {
    return result(id, { content: [{ type: 'text', text: `hello ${args.name ?? 'you'}` }] })
  }
  return rpcError(id, -32602, `Unknown tool: ${params?.name}`)
}

export function mcp(request, url) {
  if (url.hostname.startsWith('mcp-auth-') && bearerOf(request) !== 'mcp-secret-token') {
    return json(
      401,
      { error: 'invalid_token' },
      { 'www-authenticate': 'Bearer error="invalid_token"' },
    )
  }
  if (request.method !== 'POST')
    return json(405, { error: 'Method not allowed' }, { allow: 'POST' })
  const accept = request.headers.accept ?? ''
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return json(406, {
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32000,
        message: 'Not Acceptable: accept application/json and text/event-stream',
      },
    })
  }
  const message = request.body
  if (!message || message.jsonrpc !== '2.0' || typeof message.method !== 'string') {
    return json(400, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } })
  }
  if (message.id === undefined) return { status: 202, headers: {}, body: '' }
  if (message.method === 'initialize') {
    const asked = message.params?.protocolVersion
    return result(message.id, {
      protocolVersion: VERSIONS.includes(asked) ? asked : VERSIONS[0],
      capabilities: { tools: {} },
      serverInfo: { name: 'fake-mcp', version: '1.0.0' },
    })
  }
  const version = request.headers['mcp-protocol-version']
  if (version !== undefined && !VERSIONS.includes(version)) {
    return json(400, {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32000, message: `Unsupported protocol version: ${version}` },
    })
  }
  if (message.method === 'tools/list') return result(message.id, { tools: TOOLS })
  if (message.method === 'tools/call') return callTool(message.id, message.params)
  if (message.method === 'ping') return result(message.id, {})
  return rpcError(message.id, -32601, `Method not found: ${message.method}`)
}
