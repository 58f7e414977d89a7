import { SELF } from 'cloudflare:test'
import { MAX_NODES } from '../../workflow/definition'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postWebhook,
  waitForAccepted,
  waitForRun,
} from '../../../test/helpers'
import { signedIn } from '../../../test/admin-session'

type ErrorBody = {
  error: { code: string; message: string; details?: { path: string; message: string }[] }
}

const valid = {
  name: 'Valid',
  nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
}

async function rejected(definition: unknown) {
  const response = await admin('/api/workflows', { method: 'POST', json: definition })
  expect(response.status).toBe(400)
  return (await response.json()) as ErrorBody
}

describe('workflow validation', () => {
  it('names an unknown node type by its path', async () => {
    const body = await rejected({ ...valid, nodes: [{ id: 'a', type: 'teleport', config: {} }] })
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.details).toContainEqual({
      path: 'nodes.0.type',
      message: "unknown node type 'teleport'",
    })
  })

  it("checks each node config against that node's own schema", async () => {
    const body = await rejected({
      ...valid,
      nodes: [
        { id: 'ok', type: 'transform', config: { expression: '$' } },
        { id: 'call', type: 'http-request', config: { url: 'not a url', method: 'FETCH' } },
      ],
    })
    const paths = body.error.details!.map((d) => d.path)
    expect(paths).toContain('nodes.1.config.url')
    expect(paths).toContain('nodes.1.config.method')
  })

  it('rejects an invalid JSONata expression when saved', async () => {
    const body = await rejected({
      ...valid,
      nodes: [{ id: 'a', type: 'transform', config: { expression: '{ "a": ' } }],
    })
    expect(body.error.details![0]!.path).toBe('nodes.0.config.expression')
    expect(body.error.details![0]!.message).toMatch(/invalid JSONata/)
  })

  it('rejects duplicate node ids, an empty node list, a bad id and unknown fields', async () => {
    const duplicate = await rejected({
      ...valid,
      nodes: [valid.nodes[0], { ...valid.nodes[0] }],
    })
    expect(duplicate.error.details).toContainEqual({
      path: 'nodes.1.id',
      message: "duplicate node id 'a' (also nodes.0.id)",
    })
    const empty = await rejected({ ...valid, nodes: [] })
    expect(empty.error.details![0]!.path).toBe('nodes')
    const badId = await rejected({ ...valid, nodes: [{ ...valid.nodes[0], id: 'Bad Id' }] })
    expect(badId.error.details![0]!.path).toBe('nodes.0.id')
    const extra = await rejected({ ...valid, colour: 'blue' })
    expect(extra.error.message).toMatch(/colour/)
  })

  it('answers malformed JSON with a clear 400', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": "x",',
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as ErrorBody
    expect(body.error.code).toBe('INVALID_JSON')
    expect(body.error.message).toMatch(/^Request body is not valid JSON: /)
  })
})

describe('workflow size limits', () => {
  const nodes = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: `n${i}`,
      type: 'transform',
      config: { expression: '$' },
    }))

  it(`accepts ${MAX_NODES} nodes and refuses ${MAX_NODES + 1}, naming the field and the limit`, async () => {
    const atLimit = await admin('/api/workflows', {
      method: 'POST',
      json: { name: 'big', nodes: nodes(MAX_NODES) },
    })
    expect(atLimit.status).toBe(201)
    const over = await admin('/api/workflows', {
      method: 'POST',
      json: { name: 'too big', nodes: nodes(MAX_NODES + 1) },
    })
    expect(over.status).toBe(400)
    const body = (await over.json()) as ErrorBody
    expect(body.error.details).toContainEqual({
      path: 'nodes',
      message: expect.stringContaining(String(MAX_NODES)),
    })
  })
})

describe('workflow CRUD and versions', () => {
  it('creates, reads, lists, replaces and deletes', async () => {
    const created = await createWorkflow(valid)
    expect(created).toMatchObject({ name: 'Valid', version: 1, enabled: true, onError: 'stop' })
    expect(created.webhookUrl).toMatch(new RegExp(`/hooks/${created.id}/[A-Za-z0-9_-]{20,}$`))

    // The token is shown once: D1 keeps its hash, so a read has no webhook URL.
    const read = (await (await admin(`/api/workflows/${created.id}`)).json()) as typeof created
    expect(read).toEqual({ ...created, webhookUrl: null })
    const list = (await (await admin('/api/workflows')).json()) as { workflows: { id: string }[] }
    expect(list.workflows.map((w) => w.id)).toContain(created.id)

    const replaced = await admin(`/api/workflows/${created.id}`, {
      method: 'PUT',
      json: { ...valid, name: 'Renamed' },
    })
    expect(replaced.status).toBe(200)
    expect(await replaced.json()).toMatchObject({
      id: created.id,
      name: 'Renamed',
      version: 2,
      webhookUrl: null,
    })

    expect((await admin(`/api/workflows/${created.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin(`/api/workflows/${created.id}`)).status).toBe(404)
    expect(
      (await admin(`/api/workflows/${created.id}`, { method: 'PUT', json: valid })).status,
    ).toBe(404)
  })

  it('runs on the version it started with, even after an edit', async () => {
    // Version 1's first step waits at a gate, so the edit surely lands while the run is in flight.
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/hold', responses: [{ body: {}, gate: 'edit-done' }] }])
    const version = (text: string) => ({
      name: 'v',
      nodes: [
        { id: 'hold', type: 'http-request', config: { url: upstream.url('/hold') } },
        { id: 'a', type: 'transform', config: { expression: `"${text}"` } },
      ],
    })
    const workflow = await createWorkflow(version('v1'))
    const response = await postWebhook(workflow, {})
    await upstream.waitForRequests(1)
    const edit = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: version('v2'),
    })
    expect(edit.status).toBe(200)
    await upstream.release('edit-done')
    const run = await waitForAccepted(response)
    expect(run.workflowVersion).toBe(1)
    expect(run.output).toBe('v1')
    const next = await waitForRun(
      ((await (await postWebhook(workflow, {})).json()) as { runId: string }).runId,
    )
    expect(next.workflowVersion).toBe(2)
    expect(next.output).toBe('v2')
  })

  it('starts a run by hand with the JSON body as input, even while disabled', async () => {
    const workflow = await createWorkflow({ ...valid, enabled: false })
    const response = await admin(`/api/workflows/${workflow.id}/runs`, {
      method: 'POST',
      json: { hello: 'world' },
    })
    expect(response.status).toBe(202)
    const { runId, statusUrl } = (await response.json()) as { runId: string; statusUrl: string }
    expect(response.headers.get('location')).toBe(statusUrl)
    const run = await waitForRun(runId)
    expect(run.output).toEqual({ hello: 'world' })
    expect((run.trigger as { type: string }).type).toBe('manual')
  })
})

describe('runs API', () => {
  it('lists runs newest first, filters by workflow and status, and pages with a cursor', async () => {
    const workflow = await createWorkflow(valid)
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push(((await (await postWebhook(workflow, { i })).json()) as { runId: string }).runId)
    await Promise.all(ids.map((id) => waitForRun(id)))

    const page1 = (await (await admin(`/api/runs?workflowId=${workflow.id}&limit=2`)).json()) as {
      runs: { id: string; status: string }[]
      nextCursor: string | null
    }
    expect(page1.runs.map((r) => r.id)).toEqual([ids[2], ids[1]])
    const page2 = (await (
      await admin(`/api/runs?workflowId=${workflow.id}&limit=2&cursor=${page1.nextCursor}`)
    ).json()) as typeof page1
    expect(page2.runs.map((r) => r.id)).toEqual([ids[0]])
    expect(page2.nextCursor).toBeNull()

    const failed = (await (
      await admin(`/api/runs?workflowId=${workflow.id}&status=failed`)
    ).json()) as typeof page1
    expect(failed.runs).toHaveLength(0)
  })

  it('rejects a bad filter naming the field', async () => {
    const response = await admin('/api/runs?status=exploded&limit=0')
    expect(response.status).toBe(400)
    const body = (await response.json()) as ErrorBody
    const paths = body.error.details!.map((d) => d.path)
    expect(paths).toEqual(expect.arrayContaining(['query.status', 'query.limit']))
  })

  it('answers 404 for an unknown run', async () => {
    expect((await admin('/api/runs/nope')).status).toBe(404)
  })
})

describe('admin auth', () => {
  const routes: [string, string][] = [
    ['GET', '/api/nodes'],
    ['GET', '/api/workflows'],
    ['POST', '/api/workflows'],
    ['GET', '/api/workflows/x'],
    ['PUT', '/api/workflows/x'],
    ['DELETE', '/api/workflows/x'],
    ['POST', '/api/workflows/x/runs'],
    ['GET', '/api/runs'],
    ['GET', '/api/runs/x'],
  ]
  for (const [method, path] of routes) {
    it(`${method} ${path} answers 401 without the token, and with a wrong one`, async () => {
      const none = await SELF.fetch(`http://automateos.test${path}`, {
        method,
        body: method === 'GET' ? undefined : '{}',
      })
      const wrong = await SELF.fetch(`http://automateos.test${path}`, {
        method,
        headers: { authorization: 'Bearer not-the-token' },
        body: method === 'GET' ? undefined : '{}',
      })
      expect([none.status, wrong.status]).toEqual([401, 401])
      expect(((await none.json()) as ErrorBody).error.code).toBe('UNAUTHORIZED')
    })
  }

  it('GET /healthz needs no token', async () => {
    const response = await SELF.fetch('http://automateos.test/healthz')
    expect(await response.json()).toEqual({ ok: true })
  })
})

describe('warnings on save (issue 12 item 4)', () => {
  const hook = 'https://hooks.slack.com/services/T0001/B0002/XXXXsecretXXXX'
  const withSecrets = {
    name: 'Secrets in config',
    nodes: [
      { id: 'shape', type: 'transform', config: { expression: '$' } },
      { id: 'slack', type: 'http-request', config: { method: 'POST', url: hook } },
      {
        id: 'api',
        type: 'http-request',
        config: {
          url: 'https://api.example.com/items',
          headers: { Authorization: 'Bearer abcdef0123456789', 'X-Trace': '{{ run.id }}' },
        },
      },
    ],
  }

  it('saves a workflow whose config looks like it holds secrets, and says where', async () => {
    const created = await admin('/api/workflows', { method: 'POST', json: withSecrets })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { id: string; warnings: unknown[] }
    expect(body.warnings).toEqual([
      {
        path: 'nodes.1.config.url',
        code: 'SECRET_IN_CONFIG',
        message: expect.stringContaining('a Slack webhook URL'),
      },
      {
        path: 'nodes.2.config.headers.Authorization',
        code: 'SECRET_IN_CONFIG',
        message: expect.stringContaining('store it as a credential'),
      },
    ])
    // Saved all the same, and a read carries no warnings: they belong to the save.
    const read = (await (await admin(`/api/workflows/${body.id}`)).json()) as { nodes: unknown[] }
    expect(read.nodes).toHaveLength(3)
    expect(read).not.toHaveProperty('warnings')

    const replaced = await admin(`/api/workflows/${body.id}`, {
      method: 'PUT',
      json: { ...withSecrets, nodes: withSecrets.nodes.slice(0, 2) },
    })
    expect(replaced.status).toBe(200)
    expect(((await replaced.json()) as { warnings: { path: string }[] }).warnings).toEqual([
      expect.objectContaining({ path: 'nodes.1.config.url' }),
    ])
  })

  it('has no warnings when secrets come from credentials and templates', async () => {
    const stored = await admin('/api/credentials', {
      method: 'POST',
      json: {
        name: 'api-token',
        type: 'http-bearer',
        data: { token: 'tok_abcdef0123456789' },
        baseUrl: 'https://api.example.com',
      },
    })
    expect(stored.status).toBe(201)
    const clean = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'Clean',
        nodes: [
          {
            id: 'api',
            type: 'http-request',
            config: {
              url: 'https://api.example.com/items',
              credential: 'api-token',
              headers: { Authorization: 'Bearer {{ input.token }}' },
            },
          },
        ],
      },
    })
    expect(clean.status).toBe(201)
    expect(await clean.json()).not.toHaveProperty('warnings')
  })

  it('warns about a credential name with nothing behind it, naming the nearest stored one', async () => {
    const stored = await admin('/api/credentials', {
      method: 'POST',
      json: {
        name: 'team-discord',
        type: 'discord-webhook',
        data: { url: 'https://discord.com/api/webhooks/1/abc' },
      },
    })
    expect(stored.status).toBe(201)
    const nodes = [
      { id: 'a', type: 'discord-message', config: { credential: 'team-discrod', content: 'hi' } },
      { id: 'b', type: 'discord-message', config: { credential: 'team-discord', content: 'hi' } },
      { id: 'c', type: 'slack-message', config: { credential: 'nothing-like-it', text: 'hi' } },
    ]
    const created = await admin('/api/workflows', {
      method: 'POST',
      json: { name: 'Typo', nodes },
    })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { id: string; warnings: unknown[] }
    expect(body.warnings).toEqual([
      {
        path: 'nodes.0.config.credential',
        code: 'CREDENTIAL_MISSING',
        message:
          "nodes.0.config.credential: no credential is named 'team-discrod' (did you mean " +
          "'team-discord'?). The workflow is saved; its step fails with CREDENTIAL_NOT_FOUND " +
          'until a credential of that name is added (POST /api/credentials).',
      },
      {
        path: 'nodes.2.config.credential',
        code: 'CREDENTIAL_MISSING',
        message: expect.stringContaining("no credential is named 'nothing-like-it'. The"),
      },
    ])

    // The page says so too, for as long as the name is wrong.
    const session = await signedIn()
    const shown = (await session.page(`/admin/workflows/${body.id}`)).html
    expect(shown).toContain('A credential this workflow names does not exist.')
    expect(shown).toContain(
      '<code>nodes.0.config.credential</code> names <code>team-discrod</code>: did you mean <code>team-discord</code>?',
    )
    expect(shown).toContain(
      '<code>nodes.2.config.credential</code> names <code>nothing-like-it</code>',
    )

    const fixed = await admin(`/api/workflows/${body.id}`, {
      method: 'PUT',
      json: { name: 'Typo', nodes: [nodes[1]] },
    })
    expect(fixed.status).toBe(200)
    expect(await fixed.json()).not.toHaveProperty('warnings')
    const after = (await session.page(`/admin/workflows/${body.id}`)).html
    expect(after).not.toContain('A credential this workflow names does not exist.')
  })
})
