import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { MAX_JSON_DEPTH } from '../src/http/json-depth'
import { MAX_WEBHOOK_BYTES } from '../src/http/hooks/hooks'
import { FOR_EACH_MAX_LIMIT } from '../src/templates/for-each-list'
import { MAX_NAME_LENGTH, MAX_NODES, MAX_NODE_CONFIG_CHARS } from '../src/workflow/definition'
import { admin, createWorkflow, postWebhook } from './helpers'

// Every documented limit (README "Limits"), at its edge: one past it is refused with 413 or 400,
// a JSON error whose message names the limit and whose details name the field. The request
// exactly at the limit is accepted where that is cheap to show.

type Refusal = { status: number; code: string; path: string; limit: number | string }

const MiB = 1024 * 1024
const node = (extra: Record<string, unknown> = {}) => ({
  id: 'shape',
  type: 'transform',
  config: { expression: '$' },
  ...extra,
})
const workflow = (extra: Record<string, unknown> = {}) => ({
  name: 'limits',
  nodes: [node()],
  ...extra,
})
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

async function expectRefused(response: Response, want: Refusal) {
  expect(response.status).toBe(want.status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const { error } = (await response.json()) as {
    error: { code: string; message: string; details: unknown }
  }
  expect(error.code).toBe(want.code)
  const details = Array.isArray(error.details) ? error.details : [error.details]
  const named = details.find((d: { path?: string }) => d?.path === want.path)
  expect(named, `details name ${want.path}: ${JSON.stringify(error.details)}`).toBeDefined()
  // The limit is in the message the client shows (and, for a body size, in the details too).
  expect(`${error.message} ${JSON.stringify(named)}`).toContain(String(want.limit))
}

const createWith = (definition: unknown) =>
  admin('/api/workflows', { method: 'POST', json: definition })

describe('limits: each refused with 413 or 400 naming the limit and the field', () => {
  it(`webhook body: ${MAX_WEBHOOK_BYTES} bytes (413)`, async () => {
    const hook = await createWorkflow(workflow({ name: 'limits: webhook body' }))
    const padding = 'x'.repeat(MAX_WEBHOOK_BYTES - '{"b":""}'.length)
    expect((await postWebhook(hook, `{"b":"${padding}"}`)).status).toBe(202)
    await expectRefused(await postWebhook(hook, `{"b":"${padding}x"}`), {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      path: '(body)',
      limit: MAX_WEBHOOK_BYTES,
    })
  })

  it('admin API body: 1 MiB (413)', async () => {
    const body = JSON.stringify({ ...workflow(), padding: 'x'.repeat(MiB) })
    await expectRefused(await admin('/api/workflows', { method: 'POST', body }), {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      path: '(body)',
      limit: MiB,
    })
  })

  it(`JSON nesting: ${MAX_JSON_DEPTH} levels, on a webhook and the API (400)`, async () => {
    const hook = await createWorkflow(workflow({ name: 'limits: depth' }))
    expect((await postWebhook(hook, nested(MAX_JSON_DEPTH))).status).toBe(202)
    const refusal = { status: 400, code: 'JSON_TOO_DEEP', path: '(body)', limit: MAX_JSON_DEPTH }
    await expectRefused(await postWebhook(hook, nested(MAX_JSON_DEPTH + 1)), refusal)
    const body = `{"name":"deep","nodes":${nested(MAX_JSON_DEPTH + 1)}}`
    await expectRefused(await admin('/api/workflows', { method: 'POST', body }), refusal)
  })

  it(`nodes per workflow: ${MAX_NODES} (400)`, async () => {
    const nodes = (n: number) => Array.from({ length: n }, (_, i) => node({ id: `n${i}` }))
    expect((await createWith(workflow({ nodes: nodes(MAX_NODES) }))).status).toBe(201)
    await expectRefused(await createWith(workflow({ nodes: nodes(MAX_NODES + 1) })), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'nodes',
      limit: MAX_NODES,
    })
  })

  it(`a node's config: ${MAX_NODE_CONFIG_CHARS} characters of JSON (400)`, async () => {
    // A node whose config takes any values, so the config can be padded to the exact size.
    const set = (chars: number) => {
      const base = JSON.stringify({ fields: { note: '' } }).length
      return { id: 'keep', type: 'set', config: { fields: { note: 'x'.repeat(chars - base) } } }
    }
    expect((await createWith(workflow({ nodes: [set(MAX_NODE_CONFIG_CHARS)] }))).status).toBe(201)
    await expectRefused(await createWith(workflow({ nodes: [set(MAX_NODE_CONFIG_CHARS + 1)] })), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'nodes.0.config',
      limit: MAX_NODE_CONFIG_CHARS,
    })
  })

  it.each([
    ['workflow name', { name: 'n'.repeat(MAX_NAME_LENGTH + 1) }, 'name', MAX_NAME_LENGTH],
    [
      'node name',
      { nodes: [node({ name: 'n'.repeat(MAX_NAME_LENGTH + 1) })] },
      'nodes.0.name',
      MAX_NAME_LENGTH,
    ],
    ['node id', { nodes: [node({ id: `a${'b'.repeat(64)}` })] }, 'nodes.0.id', 64],
    ['node type', { nodes: [node({ type: 't'.repeat(101) })] }, 'nodes.0.type', 100],
    ['if', { nodes: [node({ if: 'x'.repeat(10_001) })] }, 'nodes.0.if', 10_000],
    ['forEach', { nodes: [node({ forEach: 'x'.repeat(10_001) })] }, 'nodes.0.forEach', 10_000],
    [
      'forEachLimit',
      { nodes: [node({ forEach: '{{ input }}', forEachLimit: FOR_EACH_MAX_LIMIT + 1 })] },
      'nodes.0.forEachLimit',
      FOR_EACH_MAX_LIMIT,
    ],
  ])('%s (400)', async (_, extra, path, limit) => {
    await expectRefused(await createWith(workflow(extra)), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path,
      limit,
    })
  })

  it('a node id at 64 characters and a name at 200 are accepted', async () => {
    const id = `a${'b'.repeat(63)}`
    const fits = workflow({
      name: 'n'.repeat(MAX_NAME_LENGTH),
      nodes: [node({ id, name: 'm'.repeat(MAX_NAME_LENGTH) })],
    })
    expect((await createWith(fits)).status).toBe(201)
  })

  it.each([
    ['credential name', { name: 'c'.repeat(101), data: { token: 't' } }, 'name', 100],
    ['credential value', { data: { token: 't'.repeat(10_001) } }, 'data.token', 10_000],
  ])('%s (400)', async (_, extra, path, limit) => {
    const json = {
      name: `limit-${crypto.randomUUID().slice(0, 8)}`,
      type: 'http-bearer',
      baseUrl: 'https://api.example',
      ...extra,
    }
    await expectRefused(await admin('/api/credentials', { method: 'POST', json }), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path,
      limit,
    })
  })

  it('a credential value at 10 000 characters is accepted', async () => {
    const json = {
      name: `limit-${crypto.randomUUID().slice(0, 8)}`,
      type: 'http-bearer',
      baseUrl: 'https://api.example',
      data: { token: 't'.repeat(10_000) },
    }
    expect((await admin('/api/credentials', { method: 'POST', json })).status).toBe(201)
  })

  it('a delivery id (Idempotency-Key): 256 characters (400)', async () => {
    const hook = await createWorkflow(workflow({ name: 'limits: delivery id' }))
    const key = (n: number) => ({ 'idempotency-key': 'k'.repeat(n) })
    expect((await postWebhook(hook, {}, key(256))).status).toBe(202)
    await expectRefused(await postWebhook(hook, {}, key(257)), {
      status: 400,
      code: 'IDEMPOTENCY_KEY_TOO_LONG',
      path: 'headers.idempotency-key',
      limit: 256,
    })
  })

  it('runs per page: 200 (400)', async () => {
    await expectRefused(await admin('/api/runs?limit=201'), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'query.limit',
      limit: 200,
    })
  })

  it('re-encryption batch: 40 credentials per call (400)', async () => {
    const json = { limit: 41 }
    await expectRefused(await admin('/api/encryption-key/re-encrypt', { method: 'POST', json }), {
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'limit',
      limit: 40,
    })
  })

  it('the sign-in form: 8 KiB (413)', async () => {
    const response = await SELF.fetch('http://automateos.test/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${'x'.repeat(8 * 1024)}`,
    })
    expect(response.status).toBe(413)
  })
})
