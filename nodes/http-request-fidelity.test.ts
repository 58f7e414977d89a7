import { describe, expect, it } from 'vitest'
import { AutomateError } from '../src/errors'
import { stepTimeoutMs } from '../src/engine/run-node'
import { DEFAULT_NODE_TIMEOUT_MS } from '../src/workflow/definition'
import { fakeApp } from '../test/apps'
import { createCredential } from '../test/credentials'
import { admin, createWorkflow, fakeUpstream, postAndWait } from '../test/helpers'
import { nodeContext } from '../test/node-context'
import { CLIENT_ID, CLIENT_SECRET } from '../test/fake-upstream/client-credentials.js'
import httpRequest from './http-request'

// Issue 19 item 9: http-request as real APIs need it.

type Result = { status: number; headers: Record<string, string>; body: any }
type Received = {
  requests: {
    method: string
    path: string
    rawQuery: string
    headers: Record<string, string>
    form?: { name: string; value?: string; filename?: string; type?: string; base64?: string }[]
  }[]
}

async function call(config: Record<string, unknown>, input: unknown = null) {
  return (await httpRequest.run(input, nodeContext(httpRequest, config))) as Result
}

async function failure(config: Record<string, unknown>) {
  try {
    await httpRequest.run(null, nodeContext(httpRequest, config))
  } catch (error) {
    expect(error).toBeInstanceOf(AutomateError)
    return error as AutomateError
  }
  return expect.fail('the node should have failed')
}

const received = async (upstream: { base: string }) =>
  (await (await fetch(`${upstream.base}/__requests`)).json()) as Received

// A PNG's signature and a few bytes that are not UTF-8 (0x89, 0xff, 0xfe, a lone 0x80).
const BINARY = Uint8Array.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0x80,
])
const BINARY_BASE64 = btoa(String.fromCharCode(...BINARY))

describe('http-request: the step timeout follows the request timeout', () => {
  it('gives a step at least its request timeoutMs (plus a margin), not the 30 s default', () => {
    const node = {
      id: 'slow',
      type: 'http-request',
      config: { url: 'https://x.example', timeoutMs: 120_000 },
    }
    expect(stepTimeoutMs(httpRequest, node)).toBeGreaterThan(120_000)
    const longer = { ...node, timeoutMs: 200_000 }
    expect(stepTimeoutMs(httpRequest, longer)).toBe(200_000)
    const plain = { id: 'quick', type: 'http-request', config: { url: 'https://x.example' } }
    expect(stepTimeoutMs(httpRequest, plain)).toBe(DEFAULT_NODE_TIMEOUT_MS)
  })
})

describe('http-request: binary answers', () => {
  it('returns an image as base64 with its content type and size, byte for byte', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/logo.png',
        responses: [{ bodyBase64: BINARY_BASE64, headers: { 'content-type': 'image/png' } }],
      },
    ])
    const result = await call({ url: upstream.url('/logo.png') })
    expect(result.body).toEqual({ base64: BINARY_BASE64, contentType: 'image/png', size: 12 })
  })

  it('treats bytes without a content type that are not UTF-8 as binary, and text as text', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/blob',
        responses: [{ bodyBase64: BINARY_BASE64, headers: { 'content-type': '' } }],
      },
      { path: '/csv', responses: [{ body: 'a,b\n1,2', headers: { 'content-type': 'text/csv' } }] },
    ])
    expect((await call({ url: upstream.url('/blob') })).body).toMatchObject({
      base64: BINARY_BASE64,
      size: 12,
    })
    expect((await call({ url: upstream.url('/csv') })).body).toBe('a,b\n1,2')
  })

  it('gives the bytes of a text answer too with responseFormat base64', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/t', responses: [{ body: 'héllo' }] }])
    const result = await call({ url: upstream.url('/t'), responseFormat: 'base64' })
    expect(result.body).toEqual({ base64: 'aMOpbGxv', contentType: 'text/plain', size: 6 })
  })
})

describe('http-request: query appends to a pre-signed URL without touching it', () => {
  it("keeps the URL's own query byte for byte and appends the new parameters", async () => {
    const upstream = fakeUpstream()
    const signed =
      '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260101%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-SignedHeaders=host&response-content-disposition=attachment%3B%20filename%3D%22a%20b.pdf%22' +
      '&tag=a~b&tag=c*d&X-Amz-Signature=0f3c'
    await call({
      url: upstream.url(`/bucket/a.pdf${signed}`),
      query: { 'x-id': 'Get Object', n: [1, 2] },
    })
    const [request] = (await received(upstream)).requests
    expect(request!.rawQuery).toBe(`${signed}&x-id=Get%20Object&n=1&n=2`)
  })
})

describe('http-request: an API key in the query string (http-query)', () => {
  it("appends the credential's key under its own name, escaped, after the URL's query", async () => {
    const upstream = fakeUpstream()
    const credential = await createCredential(
      'http-query',
      { name: 'api_key', value: 'k3y/with+chars&=' },
      { baseUrl: upstream.base },
    )
    await call({ url: upstream.url('/v1/items?sort=-created'), credential, query: { page: 2 } })
    const [request] = (await received(upstream)).requests
    expect(request!.rawQuery).toBe('?sort=-created&page=2&api_key=k3y%2Fwith%2Bchars%26%3D')
    expect(request!.headers).not.toHaveProperty('authorization')
  })

  it('sends the key nowhere outside its baseUrl', async () => {
    const pinned = fakeUpstream()
    const elsewhere = fakeUpstream()
    const credential = await createCredential(
      'http-query',
      { name: 'key', value: 'query-key-123' },
      { baseUrl: pinned.base },
    )
    const error = await failure({ url: elsewhere.url('/x'), credential })
    expect(error.code).toBe('CREDENTIAL_ORIGIN')
    expect((await received(elsewhere)).requests).toHaveLength(0)
  })
})

describe('http-request: OAuth2 client credentials (http-oauth2-client)', () => {
  async function server(clientAuth: 'basic' | 'body', secret = CLIENT_SECRET) {
    const api = fakeApp('client-credentials')
    const credential = await createCredential(
      'http-oauth2-client',
      {
        tokenUrl: api.url('/oauth/token'),
        clientId: CLIENT_ID,
        clientSecret: secret,
        scope: 'orders:read',
        clientAuth,
      },
      { baseUrl: api.url('/api') },
    )
    return { api, credential }
  }

  it.each(['basic', 'body'] as const)(
    'fetches a token with %s client authentication, sends it as a bearer token, and reuses it',
    async (clientAuth) => {
      const { api, credential } = await server(clientAuth)
      const first = await call({ url: '/orders', credential })
      const second = await call({ url: '/orders/2', credential })
      expect(first.body).toEqual({ ok: true, path: '/api/orders' })
      expect(second.body).toEqual({ ok: true, path: '/api/orders/2' })
      const { requests } = await received(api)
      const tokenCalls = requests.filter((r) => r.path === '/oauth/token')
      expect(tokenCalls).toHaveLength(1)
      expect(tokenCalls[0]!.method).toBe('POST')
      if (clientAuth === 'basic') expect(tokenCalls[0]!.headers.authorization).toMatch(/^Basic /)
      else expect(tokenCalls[0]!.headers).not.toHaveProperty('authorization')
      const apiCalls = requests.filter((r) => r.path.startsWith('/api/'))
      expect(apiCalls.map((r) => r.headers.authorization)).toEqual([
        expect.stringMatching(/^Bearer at-/),
        apiCalls[0]!.headers.authorization,
      ])
    },
  )

  it("fails clearly, without retrying, when the server refuses the client's secret", async () => {
    const { api, credential } = await server('basic', 'wrong-secret')
    const error = await failure({ url: '/orders', credential })
    expect(error).toMatchObject({ code: 'HTTP_ERROR', retryable: false })
    expect(error.message).toContain('401')
    expect(error.message).toContain('Client authentication failed')
    expect(error.message).not.toContain('wrong-secret')
    expect((await received(api)).requests.filter((r) => r.path.startsWith('/api'))).toHaveLength(0)
  })

  it('refuses, at save time, a credential without a token URL', async () => {
    const response = await admin('/api/credentials', {
      method: 'POST',
      json: {
        name: `cc-${crypto.randomUUID().slice(0, 8)}`,
        type: 'http-oauth2-client',
        data: { clientId: 'a', clientSecret: 'b' },
        baseUrl: 'https://api.example.com',
      },
    })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toContain('data.tokenUrl')
  })
})

describe('http-request: multipart/form-data bodies', () => {
  it('sends fields, repeated fields and a base64 file as parts, with its own boundary', async () => {
    const upstream = fakeUpstream()
    await call(
      {
        method: 'POST',
        url: upstream.url('/upload'),
        bodyFormat: 'multipart',
        // A content type without a boundary would make the body unreadable: it is replaced.
        headers: { 'content-type': 'multipart/form-data' },
        body: {
          title: 'Logo',
          tags: ['brand', 'png'],
          meta: { width: 1 },
          file: { base64: BINARY_BASE64, filename: 'logo.png', contentType: 'image/png' },
        },
      },
      null,
    )
    const [request] = (await received(upstream)).requests
    expect(request!.headers['content-type']).toMatch(/^multipart\/form-data; ?boundary=/)
    expect(request!.form).toEqual([
      { name: 'title', value: 'Logo' },
      { name: 'tags', value: 'brand' },
      { name: 'tags', value: 'png' },
      { name: 'meta', value: '{"width":1}' },
      { name: 'file', filename: 'logo.png', type: 'image/png', size: 12, base64: BINARY_BASE64 },
    ])
  })

  it('fails the step naming the field when a file part is not base64', async () => {
    const upstream = fakeUpstream()
    const error = await failure({
      method: 'POST',
      url: upstream.url('/upload'),
      bodyFormat: 'multipart',
      body: { file: { base64: '***' } },
    })
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false })
    expect(error.details).toEqual([{ path: 'config.body.file.base64', message: 'must be base64' }])
  })

  it('passes a binary answer of one step on as a file part of the next', async () => {
    const source = fakeUpstream()
    const target = fakeUpstream()
    await source.program([
      {
        path: '/img',
        responses: [{ bodyBase64: BINARY_BASE64, headers: { 'content-type': 'image/png' } }],
      },
    ])
    const workflow = await createWorkflow({
      name: 'download then upload',
      nodes: [
        { id: 'download', type: 'http-request', config: { url: source.url('/img') } },
        {
          id: 'upload',
          type: 'http-request',
          config: {
            method: 'POST',
            url: target.url('/files'),
            bodyFormat: 'multipart',
            body: { file: '{{ steps.download.output.body }}' },
          },
        },
      ],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('succeeded')
    const [request] = (await received(target)).requests
    expect(request!.form).toEqual([
      { name: 'file', filename: 'file', type: 'image/png', size: 12, base64: BINARY_BASE64 },
    ])
  })
})
