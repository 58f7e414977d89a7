import { describe, expect, it } from 'vitest'
import { AutomateError } from '../src/errors'
import { MAX_RESPONSE_BYTES } from '../src/clients/transport/http'
import { createCredential } from '../test/credentials'
import { admin, createWorkflow, fakeUpstream, postWebhook, waitForRun } from '../test/helpers'
import { nodeContext } from '../test/node-context'
import httpRequest from './http-request'

type Result = { status: number; headers: Record<string, string>; body: unknown }

async function call(config: Record<string, unknown>, input: unknown = null) {
  return (await httpRequest.run(input, nodeContext(httpRequest, config))) as Result
}

async function failure(config: Record<string, unknown>, input: unknown = null) {
  try {
    await httpRequest.run(input, nodeContext(httpRequest, config))
  } catch (error) {
    expect(error).toBeInstanceOf(AutomateError)
    return error as AutomateError
  }
  return expect.fail('the node should have failed')
}

describe('http-request: credentials', () => {
  it.each([
    ['http-bearer', { token: 'tok-123' }, 'authorization', 'Bearer tok-123'],
    [
      'http-basic',
      { username: 'ada', password: 'pä55:word' },
      'authorization',
      'Basic YWRhOnDDpDU1OndvcmQ=',
    ],
    ['http-header', { name: 'X-Api-Key', value: 'key-456' }, 'x-api-key', 'key-456'],
  ])('sends a %s credential as its header', async (type, data, header, value) => {
    const upstream = fakeUpstream()
    const credential = await createCredential(type, data, { baseUrl: upstream.base })
    await call({ url: upstream.url('/me'), credential, headers: { authorization: 'from config' } })
    const [request] = (await upstream.received()).requests
    expect(request!.headers[header]).toBe(value)
  })

  it("resolves a path against the credential's baseUrl", async () => {
    const upstream = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 't' },
      { baseUrl: upstream.url('/v2') },
    )
    await call({ url: '/items', credential, query: { page: 2 } })
    const [request] = (await upstream.received()).requests
    expect(request).toMatchObject({ path: '/v2/items', query: { page: '2' } })
    expect(request!.headers.authorization).toBe('Bearer t')
  })

  it('refuses to send a credential with a baseUrl to another origin', async () => {
    const pinned = fakeUpstream()
    const elsewhere = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 't' },
      { baseUrl: pinned.base },
    )
    const error = await failure({ url: elsewhere.url('/steal'), credential })
    expect(error).toMatchObject({ code: 'CREDENTIAL_ORIGIN', retryable: false })
    expect((await elsewhere.received()).requests).toHaveLength(0)
  })

  it('refuses a path without a credential baseUrl', async () => {
    const error = await failure({ url: '/items' })
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false })
  })

  it('refuses, at save time, a credential of a type the node does not take', async () => {
    const credential = await createCredential('notion', { token: 'ntn_x' })
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'wrong type',
        nodes: [
          { id: 'call', type: 'http-request', config: { url: 'https://x.example', credential } },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as {
      error: { details: { path: string; message: string }[] }
    }
    expect(error.details).toEqual([
      {
        path: 'nodes.0.config.credential',
        message: expect.stringContaining('is a notion credential'),
      },
    ])
  })

  it('saves a workflow naming a credential that does not exist yet, and its step then fails clearly', async () => {
    const upstream = fakeUpstream()
    const credential = `later-${crypto.randomUUID().slice(0, 8)}`
    const workflow = await createWorkflow({
      name: 'credential added later',
      nodes: [
        { id: 'call', type: 'http-request', config: { url: upstream.url('/x'), credential } },
      ],
    })
    const run = await waitForRun(
      ((await (await postWebhook(workflow, {})).json()) as { runId: string }).runId,
    )
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND' })
    expect(run.steps[0]!.error!.message).toContain(credential)
    expect(run.steps[0]!.attempts).toBe(1)
    expect((await upstream.received()).requests).toHaveLength(0)

    // Once added, the same workflow runs.
    await createCredential(
      'http-bearer',
      { token: 'now-here' },
      { name: credential, baseUrl: upstream.base },
    )
    const second = await waitForRun(
      ((await (await postWebhook(workflow, {})).json()) as { runId: string }).runId,
    )
    expect(second.status).toBe('succeeded')
    expect((await upstream.received()).requests[0]!.headers.authorization).toBe('Bearer now-here')
  })

  it('fails the step when its credential was deleted after the workflow was saved', async () => {
    const upstream = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 'short-lived' },
      { baseUrl: upstream.base },
    )
    const workflow = await createWorkflow({
      name: 'credential deleted',
      nodes: [
        {
          id: 'call',
          type: 'http-request',
          config: { url: upstream.url('/x'), credential },
          retry: { maxAttempts: 3, delayMs: 0 },
        },
      ],
    })
    expect((await admin(`/api/credentials/${credential}`, { method: 'DELETE' })).status).toBe(204)
    const run = await waitForRun(
      ((await (await postWebhook(workflow, {})).json()) as { runId: string }).runId,
    )
    expect(run.status).toBe('failed')
    expect(run.steps[0]).toMatchObject({ attempts: 1, error: { code: 'CREDENTIAL_NOT_FOUND' } })
    expect(run.steps[0]!.error!.message).toMatch(/does not exist \(it may have been deleted\)/)
  })
})

describe('http-request: bodies and answers', () => {
  it('sends an object as a form with bodyFormat form, repeating list keys', async () => {
    const upstream = fakeUpstream()
    await call(
      { method: 'POST', url: upstream.url('/form'), bodyFormat: 'form' },
      { name: 'Ada L', tags: ['a', 'b'], n: 3, skip: null, nested: { x: 1 } },
    )
    const [request] = (await upstream.received()).requests
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8')
    expect(request!.body).toBe('name=Ada+L&tags=a&tags=b&n=3&nested=%7B%22x%22%3A1%7D')
  })

  it('refuses a form body that is not an object', async () => {
    const error = await failure({
      method: 'POST',
      url: 'https://x.example',
      bodyFormat: 'form',
      body: [1, 2],
    })
    expect(error.code).toBe('CONFIG_INVALID')
  })

  it('returns JSON as text with responseFormat text', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/j', responses: [{ body: { a: 1 } }] }])
    expect((await call({ url: upstream.url('/j'), responseFormat: 'text' })).body).toBe('{"a":1}')
  })

  it('fails with RESPONSE_NOT_JSON when responseFormat json meets text', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/t', responses: [{ body: 'not json' }] }])
    const error = await failure({ url: upstream.url('/t'), responseFormat: 'json' })
    expect(error).toMatchObject({ code: 'RESPONSE_NOT_JSON', retryable: false })
  })

  it('fails with RESPONSE_TOO_LARGE past maxResponseBytes (declared length)', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/big', responses: [{ body: 'x'.repeat(2000) }] }])
    const error = await failure({ url: upstream.url('/big'), maxResponseBytes: 1000 })
    expect(error).toMatchObject({
      code: 'RESPONSE_TOO_LARGE',
      retryable: false,
      details: { limit: 1000 },
    })
  })

  it('fails with RESPONSE_TOO_LARGE past the limit while streaming (no length given)', async () => {
    const upstream = fakeUpstream()
    // bodyDelayMs streams the body after the headers, without a Content-Length.
    await fetch(`${upstream.base}/__program`, {
      method: 'POST',
      body: JSON.stringify({
        routes: [{ path: '/stream', responses: [{ body: 'y'.repeat(5000), bodyDelayMs: 1 }] }],
      }),
    })
    const error = await failure({ url: upstream.url('/stream'), maxResponseBytes: 4096 })
    expect(error.code).toBe('RESPONSE_TOO_LARGE')
  })

  it('reads an answer right at the limit', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/edge', responses: [{ body: 'z'.repeat(1000) }] }])
    const result = await call({ url: upstream.url('/edge'), maxResponseBytes: 1000 })
    expect(result.body).toBe('z'.repeat(1000))
  })

  it('caps maxResponseBytes at 5 MiB', () => {
    const parsed = httpRequest.config.safeParse({
      url: 'https://x.example',
      maxResponseBytes: MAX_RESPONSE_BYTES + 1,
    })
    expect(parsed.success).toBe(false)
    expect(httpRequest.config.parse({ url: 'https://x.example' }).maxResponseBytes).toBe(
      MAX_RESPONSE_BYTES,
    )
  })
})

describe('http-request: redirects', () => {
  it('follows a same-origin redirect with the credential', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/old', responses: [{ status: 301, headers: { location: '/new' } }] },
      { path: '/new', responses: [{ body: { moved: true } }] },
    ])
    const credential = await createCredential(
      'http-bearer',
      { token: 'same-origin' },
      { baseUrl: upstream.base },
    )
    const result = await call({ url: upstream.url('/old'), credential })
    expect(result).toMatchObject({ status: 200, body: { moved: true } })
    const { requests } = await upstream.received()
    expect(requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/old', 'Bearer same-origin'],
      ['/new', 'Bearer same-origin'],
    ])
  })

  it('drops the credential and secret-looking headers when a redirect leaves the origin', async () => {
    const first = fakeUpstream()
    const other = fakeUpstream()
    await first.program([
      {
        path: '/start',
        responses: [{ status: 307, headers: { location: other.url('/landing?x=1') } }],
      },
    ])
    const credential = await createCredential(
      'http-header',
      { name: 'X-Api-Key', value: 'k-9' },
      { baseUrl: first.base },
    )
    await call({
      method: 'PUT',
      url: first.url('/start'),
      credential,
      headers: { 'x-auth-token': 'config-secret', cookie: 'sid=1', 'x-trace': 'keep-me' },
      body: { a: 1 },
      sendIdempotencyKey: true,
    })
    const [landed] = (await other.received()).requests
    expect(landed).toMatchObject({
      method: 'PUT',
      path: '/landing',
      query: { x: '1' },
      body: { a: 1 },
    })
    expect(landed!.headers).not.toHaveProperty('x-api-key')
    expect(landed!.headers).not.toHaveProperty('x-auth-token')
    expect(landed!.headers).not.toHaveProperty('cookie')
    expect(landed!.headers['x-trace']).toBe('keep-me')
    expect(landed!.headers['idempotency-key']).toBeDefined()
    expect((await first.received()).requests[0]!.headers['x-api-key']).toBe('k-9')
  })

  it('does not send the credential again when a later hop comes back to the origin', async () => {
    const first = fakeUpstream()
    const other = fakeUpstream()
    await first.program([
      { path: '/a', responses: [{ status: 302, headers: { location: other.url('/b') } }] },
      { path: '/c', responses: [{ body: 'done' }] },
    ])
    await other.program([
      { path: '/b', responses: [{ status: 302, headers: { location: first.url('/c') } }] },
    ])
    const credential = await createCredential(
      'http-bearer',
      { token: 'once' },
      { baseUrl: first.base },
    )
    await call({ url: first.url('/a'), credential })
    const paths = (await first.received()).requests.map((r) => [r.path, r.headers.authorization])
    expect(paths).toEqual([
      ['/a', 'Bearer once'],
      ['/c', undefined],
    ])
  })

  it('turns a POST into a GET without a body on 303', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/orders', responses: [{ status: 303, headers: { location: '/orders/1' } }] },
    ])
    await call({ method: 'POST', url: upstream.url('/orders') }, { item: 1 })
    const [, second] = (await upstream.received()).requests
    expect(second).toMatchObject({ method: 'GET', path: '/orders/1', body: null })
    expect(second!.headers).not.toHaveProperty('content-type')
  })

  it('gives up after maxRedirects, and refuses a redirect to another scheme', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/loop', responses: [{ status: 302, headers: { location: '/loop' } }] },
      {
        path: '/ftp',
        responses: [{ status: 302, headers: { location: 'ftp://files.example/a' } }],
      },
    ])
    const loop = await failure({ url: upstream.url('/loop'), maxRedirects: 3 })
    expect(loop).toMatchObject({ code: 'TOO_MANY_REDIRECTS', retryable: false })
    expect((await upstream.received()).requests).toHaveLength(4)
    const ftp = await failure({ url: upstream.url('/ftp') })
    expect(ftp.code).toBe('REDIRECT_REFUSED')
  })

  it('returns the 3xx itself with maxRedirects 0', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/r',
        responses: [{ status: 302, headers: { location: 'https://elsewhere.example/' } }],
      },
    ])
    const result = await call({ url: upstream.url('/r'), maxRedirects: 0 })
    expect(result.status).toBe(302)
    expect(result.headers.location).toBe('https://elsewhere.example/')
  })
})
