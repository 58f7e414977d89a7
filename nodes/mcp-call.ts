import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { z } from 'zod'
import {
  AutomateError,
  HTTP_CREDENTIAL_TYPES,
  MAX_RESPONSE_BYTES,
  authenticate,
  credentialUrl,
  credentialName,
  defineNode,
} from '../src/nodes/node-api'

export default defineNode({
  type: 'mcp-call',
  title: 'MCP tool call',
  description:
    'Calls a tool on another MCP server (Streamable HTTP) with arguments filled by templates, ' +
    'and outputs its structured result (or its text). A tool error fails the step.',
  credentialTypes: HTTP_CREDENTIAL_TYPES,
  sample: {
    config: {
      url: 'https://mcp-sample.upstream.test/mcp',
      tool: 'lookup_order',
      arguments: { orderId: 'A-1001' },
    },
    input: { orderId: 'A-1001' },
  },
  config: z.object({
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(8000)
      .describe("The MCP server's endpoint, e.g. https://mcp.example.com/mcp"),
    credential: credentialName()
      .optional()
      .describe(
        'A stored http-bearer or http-header credential for the server; sent only under its baseUrl',
      ),
    tool: z.string().min(1).max(128).describe('The tool to call'),
    arguments: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('The tool arguments; any string may be a {{ template }}'),
    timeoutMs: z
      .number()
      .int()
      .min(1)
      .max(300_000)
      .default(60_000)
      .describe('Give up on the server after this long'),
  }),
  async run(_input, ctx) {
    const { config, signal } = ctx
    const credential = config.credential ? await ctx.credential() : undefined
    // The credential goes only under its own baseUrl, as with http-request (issue 20).
    let url = credentialUrl(config.url, credential)
    const headers = new Headers()
    if (credential) url = (await authenticate(credential, url, headers, signal)).url
    const where = `MCP server ${url.origin}`
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: Object.fromEntries(headers) },
      // A redirect could carry the credential elsewhere: none is followed.
      fetch: async (target, init) => capped(await fetch(target, { ...init, redirect: 'manual' })),
    })
    const client = new Client({ name: 'automateos', version: '0.1.0' })
    const options = { signal, timeout: config.timeoutMs }
    let result
    try {
      await client.connect(transport, options)
      result = await client.callTool(
        { name: config.tool, arguments: config.arguments },
        undefined,
        options,
      )
    } catch (error) {
      // Messages name the origin only: a path may hold a key.
      const { message, code } = error as { message?: string; code?: unknown }
      const status = typeof code === 'number' && code >= 100 && code < 600 ? `HTTP ${code}: ` : ''
      throw new AutomateError('MCP_ERROR', `${where}: ${status}${message ?? String(error)}`, {
        cause: error,
      })
    } finally {
      await client.close().catch(() => undefined)
    }
    const text = (result.content as { type: string; text?: string }[] | undefined)
      ?.filter((part) => part.type === 'text')
      .map((part) => part.text ?? '')
      .join('\n')
    if (result.isError) {
      throw new AutomateError(
        'MCP_TOOL_ERROR',
        `Tool ${config.tool} on ${where} failed: ${text || 'no reason given'}`,
        { retryable: false },
      )
    }
    if (result.structuredContent !== undefined) return result.structuredContent
    return { text: text ?? '', content: result.content ?? [] }
  },
})

/** An answer read up to MAX_RESPONSE_BYTES, as every other node's: past that the call fails. */
function capped(response: Response): Response {
  if (!response.body) return response
  let seen = 0
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength
      if (seen > MAX_RESPONSE_BYTES) {
        controller.error(
          new AutomateError('RESPONSE_TOO_LARGE', `The answer is over ${MAX_RESPONSE_BYTES} bytes`),
        )
      } else controller.enqueue(chunk)
    },
  })
  return new Response(response.body.pipeThrough(limit), response)
}
