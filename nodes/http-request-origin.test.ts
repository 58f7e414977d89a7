import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { apiUrl, rebase } from '../src/clients/call-api'
import { insertCredential } from '../src/credentials/store'
import { AutomateError } from '../src/errors'
import { createCredential } from '../test/credentials'
import { admin, createWorkflow, fakeUpstream, postWebhook, waitForRun } from '../test/helpers'
import { nodeContext } from '../test/node-context'
import httpRequest from './http-request'

async function failure(config: Record<string, unknown>) {
  try {
    await httpRequest.run(null, nodeContext(httpRequest, config))
  } catch (error) {
    expect(error).toBeInstanceOf(AutomateError)
    return error as AutomateError
  }
  return expect.fail('the node should have failed')
}

async function runOf(workflow: { webhookUrl: string }, payload: unknown) {
  return waitForRun(
    ((await (await postWebhook(workflow, payload)).json()) as { runId: string }).runId,
  )
}

const detailsOf = async (response: Response) =>
  ((await response.json()) as { error: { details: { path: string; message: string }[] } }).error
    .details

/** Issue 20 item 1: a credential only ever goes to its own origin, under its own base path. */
describe('http-request: where a credential may go', () => {
  it('refuses a URL a payload moved to another host, and the attacker gets nothing', async () => {
    const partner = fakeUpstream()
    const attacker = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 'billing-secret-token' },
      { baseUrl: partner.base },
    )
    const workflow = await createWorkflow({
      name: 'partner call',
      nodes: [
        {
          id: 'call',
          type: 'http-request',
          config: { url: `${partner.base}{{ input.path }}`, credential },
        },
      ],
    })
    const run = await runOf(workflow, { path: `@${new URL(attacker.base).host}/x` })
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({ code: 'CREDENTIAL_ORIGIN' })
    expect((await attacker.received()).requests).toHaveLength(0)
    expect((await partner.received()).requests).toHaveLength(0)
    // The same workflow, with a payload that stays on the partner, still works.
    const fine = await runOf(workflow, { path: '/invoices' })
    expect(fine.status).toBe('succeeded')
    expect((await partner.received()).requests[0]!.headers.authorization).toBe(
      'Bearer billing-secret-token',
    )
  })

  it('refuses to store an http-* credential without a baseUrl (400 at baseUrl)', async () => {
    for (const [type, data] of [
      ['http-bearer', { token: 't' }],
      ['http-basic', { username: 'u', password: 'p' }],
      ['http-header', { name: 'X-Key', value: 'v' }],
    ] as const) {
      const name = `no-base-${crypto.randomUUID().slice(0, 8)}`
      const response = await admin('/api/credentials', {
        method: 'POST',
        json: { name, type, data },
      })
      expect(response.status, type).toBe(400)
      expect((await detailsOf(response)).map((d) => d.path)).toEqual(['baseUrl'])
    }
  })

  it('refuses a templated credential name when the workflow is saved', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'tenant picks',
        nodes: [
          {
            id: 'call',
            type: 'http-request',
            config: { url: 'https://api.example/x', credential: '{{ input.tenant }}' },
          },
        ],
      },
    })
    expect(response.status).toBe(400)
    expect(await detailsOf(response)).toEqual([
      {
        path: 'nodes.0.config.credential',
        message: expect.stringContaining('cannot be a template'),
      },
    ])
  })

  it.each([
    ['/../admin'],
    ['/%2e%2e/admin'],
    ['/%2E%2E/admin'],
    ['/items/..%2f..%2fadmin'],
    ['/items/%2e%2e%5cadmin'],
  ])('keeps the base path: %s does not leave it', async (path) => {
    const upstream = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 't' },
      { baseUrl: upstream.url('/v2') },
    )
    const error = await failure({ url: path, credential })
    expect(error).toMatchObject({ code: 'CREDENTIAL_ORIGIN', retryable: false })
    expect((await upstream.received()).requests).toHaveLength(0)
  })

  it('refuses an absolute URL on the same origin outside the base path', async () => {
    const upstream = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 't' },
      { baseUrl: upstream.url('/v2') },
    )
    for (const url of [upstream.url('/admin'), upstream.url('/v2x/admin')]) {
      expect(await failure({ url, credential })).toMatchObject({ code: 'CREDENTIAL_ORIGIN' })
    }
    expect((await upstream.received()).requests).toHaveLength(0)
  })

  it('drops the credential on a redirect that leaves the base path', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/v2/start', responses: [{ status: 302, headers: { location: '/admin' } }] },
      { path: '/admin', responses: [{ body: { ok: true } }] },
    ])
    const credential = await createCredential(
      'http-bearer',
      { token: 'base-only' },
      { baseUrl: upstream.url('/v2') },
    )
    await httpRequest.run(null, nodeContext(httpRequest, { url: '/start', credential }))
    const seen = (await upstream.received()).requests.map((r) => [r.path, r.headers.authorization])
    expect(seen).toEqual([
      ['/v2/start', 'Bearer base-only'],
      ['/admin', undefined],
    ])
  })

  it('a credential stored without a baseUrl is sent nowhere until PUT gives it one', async () => {
    const upstream = fakeUpstream()
    const name = `legacy-${crypto.randomUUID().slice(0, 8)}`
    // As an earlier version stored it: no baseUrl.
    await insertCredential(env.DB, env, {
      name,
      type: 'http-bearer',
      data: { token: 'legacy-token' },
    })
    const workflow = await createWorkflow({
      name: 'legacy credential',
      nodes: [
        { id: 'call', type: 'http-request', config: { url: upstream.url('/x'), credential: name } },
      ],
    })
    const refused = await runOf(workflow, {})
    expect(refused.status).toBe('failed')
    expect(refused.steps[0]!.error).toMatchObject({ code: 'CREDENTIAL_ORIGIN' })
    expect(refused.steps[0]!.error!.message).toContain(`PUT /api/credentials/${name}`)
    expect(refused.steps[0]!.error!.message).toContain('baseUrl')
    expect((await upstream.received()).requests).toHaveLength(0)

    // A PUT must name the baseUrl too.
    const withoutBase = await admin(`/api/credentials/${name}`, {
      method: 'PUT',
      json: { data: { token: 'legacy-token' } },
    })
    expect(withoutBase.status).toBe(400)
    expect((await detailsOf(withoutBase)).map((d) => d.path)).toEqual(['baseUrl'])

    const pinned = await admin(`/api/credentials/${name}`, {
      method: 'PUT',
      json: { data: { token: 'legacy-token' }, baseUrl: upstream.base },
    })
    expect(pinned.status).toBe(200)
    expect((await runOf(workflow, {})).status).toBe('succeeded')
    expect((await upstream.received()).requests[0]!.headers.authorization).toBe(
      'Bearer legacy-token',
    )
  })
})

describe('app credentials stay under their base URL', () => {
  it.each([
    ['https://api.github.com', undefined, '@attacker.example/x'],
    ['https://api.github.com', 'https://ghe.example/api/v3', '/repos/%2e%2e/%2e%2e/admin'],
    ['https://api.openai.com/v1', 'https://proxy.example/openai/v1', '/../../other'],
    ['https://slack.com/api', undefined, '/..%2fadmin'],
  ])('apiUrl(%s, %s, %s) is refused', (official, baseUrl, path) => {
    expect(() => apiUrl(official, baseUrl, path)).toThrow(
      expect.objectContaining({ code: 'CREDENTIAL_ORIGIN' }),
    )
  })

  it('keeps official and baseUrl paths that stay inside', () => {
    expect(apiUrl('https://api.openai.com/v1', undefined, '/chat/completions').href).toBe(
      'https://api.openai.com/v1/chat/completions',
    )
    expect(
      apiUrl('https://api.github.com', 'https://ghe.example/api/v3', '/repos/a%2Fb/issues').href,
    ).toBe('https://ghe.example/api/v3/repos/a%2Fb/issues')
    expect(
      rebase('https://hooks.slack.com/services/T1/B2/x', 'https://proxy.example/slack').href,
    ).toBe('https://proxy.example/slack/services/T1/B2/x')
  })
})
