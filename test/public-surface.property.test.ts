import { SELF, env } from 'cloudflare:test'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, createWorkflow, waitForRun, type PublicWorkflow } from './helpers'

// What an attacker (or a broken client) can throw at the public surface, generated: any method,
// paths under /hooks/ and /api/, odd headers, and bodies that are JSON, deeply nested JSON, forms,
// multipart, binary, over the size limit, unicode, or full of `__proto__` keys. Whatever comes in,
// the answer is a 4xx with a JSON error (never a 5xx), and a refused request stores nothing: every
// D1 table is counted before and after. Valid webhooks among the same kinds of bodies are accepted
// and their runs see exactly what was sent. The runs are bounded (fast-check's numRuns), so the
// file takes seconds; a failure prints the seed and the shrunk request to replay it.

const BASE = 'http://automateos.test'
const MiB = 1024 * 1024

let hook: PublicWorkflow
let hookId: string
let hookToken: string

beforeAll(async () => {
  hook = await createWorkflow({
    name: 'property: echo',
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
  })
  const path = new URL(hook.webhookUrl).pathname.split('/')
  hookId = path[2]!
  hookToken = path[3]!
})

/** Rows in every table of ours, in one round trip. */
async function tableCounts(): Promise<Record<string, number>> {
  const { results: tables } = await env.DB.prepare(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' " +
      "and name not like '_cf_%' and name != 'd1_migrations' order by name",
  ).all<{ name: string }>()
  // One row of scalar subqueries: D1 caps the terms of a compound SELECT (UNION ALL) low.
  const counts = tables.map(({ name }) => `(select count(*) from "${name}") as "${name}"`)
  return (await env.DB.prepare(`select ${counts.join(', ')}`).first<Record<string, number>>())!
}

// ---- what a request is made of

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

const segment = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'wf_x',
      'openapi.json',
      'workflows',
      'runs',
      'credentials',
      'encryption-key',
      're-encrypt',
      'rotate-token',
      'replay',
      'resume',
      '%00',
      'a'.repeat(5000),
    ),
  )
  .map((s) => (s.startsWith('%') ? s : encodeURIComponent(s)))
  // `.` and `..` are resolved away by the URL parser: the request would leave /hooks/ or /api/.
  .filter((s) => s !== '.' && s !== '..')

const query = fc.oneof(
  fc.constant(''),
  fc.tuple(segment, segment).map(([k, v]) => `?${k}=${v}`),
  // The admin token in the query is never accepted.
  fc.constant(`?token=${ADMIN_TOKEN}&access_token=${ADMIN_TOKEN}`),
)

/** Paths under /hooks/ and /api/ that no request here may get into: no right token in them. */
function refusedPath() {
  const wrongToken = segment.filter((s) => s !== hookToken)
  return fc
    .oneof(
      fc.tuple(segment, segment).map(([a, b]) => `/hooks/${a}/${b}`),
      wrongToken.map((t) => `/hooks/${hookId}/${t}`),
      segment.map((s) => `/hooks/${s}`),
      segment.map((s) => `/hooks/${hookId}/${hookToken}/${s}`),
      fc.constant('/hooks/'),
      // A paused run's resume URL (wait-for-webhook), with made-up ids and token.
      fc.tuple(segment, segment, segment).map(([r, n, t]) => `/hooks/resume/${r}/${n}/${t}`),
      fc.array(segment, { maxLength: 4 }).map((segments) => `/api/${segments.join('/')}`),
      fc.constantFrom(
        '/api/workflows',
        `/api/workflows/${hookId}`,
        `/api/workflows/${hookId}/runs`,
        `/api/workflows/${hookId}/rotate-token`,
        '/api/runs',
        '/api/runs/x/replay',
        '/api/runs/x/replay?version=original',
        '/api/runs/x/resume',
        '/api/credentials',
        '/api/encryption-key',
        '/api/encryption-key/re-encrypt',
        '/api/openapi.json',
        '/api/nodes',
        '/api/tokens',
        '/api/tokens/x',
        '/mcp',
      ),
    )
    .chain((path) => query.map((q) => `${path}${q}`))
}

const headerName = fc
  .stringMatching(/^[a-z][a-z0-9-]{0,30}$/)
  .filter((name) => !['cf-connecting-ip', 'content-length', 'host'].includes(name))
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,200}[\x21-\x7e])?$/)

const almostToken = ADMIN_TOKEN.slice(0, -1) + (ADMIN_TOKEN.endsWith('a') ? 'b' : 'a')
const authorization = fc.constantFrom(
  undefined,
  'Bearer wrong',
  `Bearer ${almostToken}`,
  ADMIN_TOKEN,
  `Basic ${btoa(`admin:${ADMIN_TOKEN}`)}`,
  'Bearer ',
  `Bearer ${ADMIN_TOKEN} extra`,
  // Shaped like a scoped API token (POST /api/tokens), but no such token exists.
  `Bearer aos_${'A'.repeat(43)}`,
)

const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'text/plain',
  'application/octet-stream',
  'application/vnd.api+json',
]

const formKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'a'),
  fc.string({ maxLength: 10 }),
)

const HUGE = 'x'.repeat(MiB + 1)

type Body = { kind: string; data: string | Uint8Array }

const bodyOf = (kind: string) => (data: string | Uint8Array) => ({ kind, data })

const anyBody: fc.Arbitrary<Body> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }).map((v) => bodyOf('json')(JSON.stringify(v))),
  fc.integer({ min: 60, max: 5000 }).map((n) => bodyOf('deep')('['.repeat(n) + ']'.repeat(n))),
  fc
    .integer({ min: 60, max: 500 })
    .map((n) => bodyOf('deep')('{"a":'.repeat(n) + '1' + '}'.repeat(n))),
  fc
    .array(fc.tuple(formKey, fc.string({ maxLength: 20 })), { maxLength: 30 })
    .map((pairs) => bodyOf('form')(new URLSearchParams(pairs).toString())),
  fc
    .string({ maxLength: 200 })
    .map((s) =>
      bodyOf('multipart')(`--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n${s}`),
    ),
  fc.uint8Array({ maxLength: 2000 }).map(bodyOf('binary')),
  fc.string({ unit: 'binary', maxLength: 300 }).map(bodyOf('unicode')),
  fc.constant(bodyOf('huge')(HUGE)),
  fc.constant(
    bodyOf('proto')(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    ),
  ),
  fc.constant(bodyOf('empty')('')),
)

const extraHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 8 })

const refusedRequest = () =>
  fc.record({
    method: fc.constantFrom(...METHODS),
    path: refusedPath(),
    authorization,
    contentType: fc.constantFrom(...CONTENT_TYPES),
    headers: extraHeaders,
    body: anyBody,
    ip: fc.ipV4(),
  })

type Request = {
  method: string
  path: string
  authorization?: string
  contentType?: string
  headers: Record<string, string>
  body: Body
  ip: string
}

function send(request: Request) {
  const headers = new Headers(request.headers)
  // A fresh address for each: wrong tokens are throttled per address, on purpose.
  headers.set('cf-connecting-ip', request.ip)
  if (request.authorization !== undefined) headers.set('authorization', request.authorization)
  if (request.contentType !== undefined) headers.set('content-type', request.contentType)
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
  return SELF.fetch(`${BASE}${request.path}`, {
    method: request.method,
    headers,
    body: hasBody ? request.body.data : undefined,
    redirect: 'manual',
  })
}

/** A 4xx whose body (there is none for HEAD) is our JSON error. */
async function expectJsonError(response: Response, method: string) {
  expect(response.status).toBeGreaterThanOrEqual(400)
  expect(response.status).toBeLessThan(500)
  if (method === 'HEAD') return
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
  expect(typeof body.error?.code).toBe('string')
  expect(typeof body.error?.message).toBe('string')
}

describe('the public surface, under generated requests', () => {
  it('refuses every request without the right token with a 4xx JSON error, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(refusedRequest(), async (request) => {
        const before = await tableCounts()
        const response = await send(request)
        await expectJsonError(response, request.method)
        expect(await tableCounts()).toEqual(before)
      }),
      { numRuns: 200 },
    )
  })

  it('answers bad definitions and credentials from the admin with a 4xx and stores nothing', async () => {
    const node = fc.record(
      {
        id: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_-]{0,70}$/), fc.string({ maxLength: 5 })),
        type: fc.constantFrom('transform', 'set', 'http-request', 'code', 'nope', '__proto__'),
        config: fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant({ expression: '$$$(' })),
        if: fc.string({ maxLength: 20 }),
        forEach: fc.string({ maxLength: 20 }),
        onError: fc.constantFrom('stop', 'continue', 'explode'),
      },
      { requiredKeys: ['id', 'type'] },
    )
    const definition = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      fc.record(
        {
          name: fc.oneof(fc.string({ maxLength: 300 }), fc.integer()),
          enabled: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
          trigger: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.record({ type: fc.constantFrom('webhook', 'schedule', 'email') }),
          ),
          nodes: fc.oneof(fc.array(node, { maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })),
        },
        { requiredKeys: [] },
      ),
      fc.constant(
        JSON.parse(
          '{"name": "p", "__proto__": {"nodes": []}, "nodes": [{"id": "a", "type": "set", ' +
            '"config": {"fields": {"__proto__": 1}, "__proto__": {"keepInput": true}}}]}',
        ) as unknown,
      ),
    )
    const credential = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 120 }), fc.constant('__proto__')),
        type: fc.constantFrom('http-bearer', 'notion', 'google-service-account', 'nope'),
        data: fc.jsonValue({ maxDepth: 3 }),
        baseUrl: fc.oneof(fc.string({ maxLength: 30 }), fc.webUrl()),
      },
      { requiredKeys: [] },
    )
    // Never a valid token: a scope outside read/run/write/admin, or no JSON object at all.
    const tokenBody = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || Array.isArray(v)),
      fc.record({
        name: fc.oneof(fc.string({ maxLength: 120 }), fc.constant('__proto__')),
        scopes: fc.array(fc.constantFrom('root', 'ADMIN', '', '__proto__', 'read '), {
          minLength: 1,
          maxLength: 3,
        }),
        expiresAt: fc.oneof(fc.string({ maxLength: 30 }), fc.integer()),
        workflows: fc.jsonValue({ maxDepth: 2 }),
      }),
    )
    const target = fc.oneof(
      tokenBody.map((body) => ({ method: 'POST', path: '/api/tokens', body })),
      definition.map((body) => ({ method: 'POST', path: '/api/workflows', body })),
      definition.map((body) => ({ method: 'PUT', path: `/api/workflows/${hookId}`, body })),
      credential.map((body) => ({ method: 'POST', path: '/api/credentials', body })),
    )
    await fc.assert(
      fc.asyncProperty(target, fc.ipV4(), async ({ method, path, body }, ip) => {
        const before = await tableCounts()
        const response = await send({
          method,
          path,
          authorization: `Bearer ${ADMIN_TOKEN}`,
          contentType: 'application/json',
          headers: {},
          body: { kind: 'json', data: JSON.stringify(body) },
          ip,
        })
        // A generated definition is sometimes valid; then it is stored, and that is right.
        if (response.status < 300) return
        await expectJsonError(response, method)
        expect(await tableCounts()).toEqual(before)
      }),
      { numRuns: 120 },
    )
  })

  it('answers anything sent to a real webhook URL with 202 or a 4xx JSON error; a refused one stores nothing', async () => {
    const request = fc.record({
      method: fc.constantFrom('POST', 'PUT', 'GET', 'HEAD', 'DELETE', 'PATCH'),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      headers: extraHeaders,
      body: anyBody,
      ip: fc.ipV4(),
    })
    let accepted = 0
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = await tableCounts()
        const response = await send({ ...r, path: new URL(hook.webhookUrl).pathname })
        if (response.status === 202) {
          accepted++
          // Finished before the next request, so its rows do not count against that one.
          await waitForRun(((await response.json()) as { runId: string }).runId)
          return
        }
        await expectJsonError(response, r.method)
        expect(await tableCounts()).toEqual(before)
      }),
      { numRuns: 60 },
    )
    // Both kinds of answer were tried.
    expect(accepted).toBeGreaterThan(0)
    expect(accepted).toBeLessThan(60)
  })

  it('accepts valid webhooks, whatever their body, and runs them on exactly what was sent', async () => {
    const validBody = fc.oneof(
      fc.jsonValue({ maxDepth: 8 }).map((v) => ({
        contentType: 'application/json',
        data: JSON.stringify(v),
        expected: exactAsSent(JSON.parse(JSON.stringify(v))),
      })),
      // 64-bit ids (Shopify, X) beyond 2^53, among other JSON: their digits exactly, as strings.
      fc
        .tuple(fc.jsonValue({ maxDepth: 4 }), fc.array(bigInteger, { minLength: 1, maxLength: 6 }))
        .map(([v, ids]) => ({
          contentType: 'application/json',
          data: `{"value":${JSON.stringify(v)},"ids":[${ids.join(',')}]}`,
          expected: { value: exactAsSent(JSON.parse(JSON.stringify(v))), ids: ids.map(String) },
        })),
      fc.constant({
        contentType: 'application/json',
        data: '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
        expected: JSON.parse(
          '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
        ) as unknown,
      }),
      fc
        .array(fc.tuple(formKey, fc.string({ maxLength: 20 })), { minLength: 1, maxLength: 10 })
        .map((pairs) => ({
          contentType: 'application/x-www-form-urlencoded',
          data: new URLSearchParams(pairs).toString(),
          expected: formObject(pairs),
        })),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }).map((text) => ({
        contentType: 'text/plain; charset=utf-8',
        data: text,
        expected: text as unknown,
      })),
    )
    const accepted: { runId: string; expected: unknown }[] = []
    await fc.assert(
      fc.asyncProperty(validBody, extraHeaders, fc.ipV4(), async (body, headers, ip) => {
        const sent = new Headers(headers)
        sent.delete('idempotency-key') // a repeated id is a duplicate: right, but not this property
        sent.set('content-type', body.contentType)
        sent.set('cf-connecting-ip', ip)
        const response = await SELF.fetch(hook.webhookUrl, {
          method: 'POST',
          headers: sent,
          body: body.data,
        })
        expect(response.status).toBe(202)
        const { runId, statusUrl } = (await response.json()) as {
          runId: string
          statusUrl: string
        }
        expect(response.headers.get('location')).toBe(statusUrl)
        accepted.push({ runId, expected: body.expected })
      }),
      { numRuns: 30 },
    )
    expect(accepted).toHaveLength(30)
    for (const { runId, expected } of accepted) {
      const run = await waitForRun(runId)
      expect(run.status).toBe('succeeded')
      expect(run.input).toEqual(expected)
    }
  })
})

const bigInteger = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n }),
  fc.bigInt({ min: -(2n ** 64n), max: -(2n ** 53n) }),
)

/**
 * What a run sees of parsed JSON: an integer outside the safe range, written in digits, is kept
 * as those digits in a string (src/lib/lossless-json.ts); everything else as JSON.parse makes it.
 */
function exactAsSent(value: unknown): unknown {
  if (typeof value === 'number') {
    const text = JSON.stringify(value)
    return !Number.isSafeInteger(value) && /^-?\d+$/.test(text) ? text : value
  }
  if (Array.isArray(value)) return value.map(exactAsSent)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, exactAsSent(v)]))
}

/** What a form's fields become: repeated ones an array, as src/http/hooks/webhook-body.ts makes them. */
function formObject(pairs: [string, string][]) {
  const result: Record<string, unknown> = {}
  for (const [key, value] of pairs) {
    const existing = Object.hasOwn(result, key) ? result[key] : undefined
    const next =
      existing === undefined
        ? value
        : Array.isArray(existing)
          ? [...existing, value]
          : [existing, value]
    Object.defineProperty(result, key, { value: next, enumerable: true, writable: true })
  }
  return result
}

// What the properties above found, kept as plain examples (both were 500s).
describe('found by the generated requests', () => {
  it('refuses a credential whose baseUrl is not a URL at all with a 400 at baseUrl', async () => {
    const response = await send({
      method: 'POST',
      path: '/api/credentials',
      authorization: `Bearer ${ADMIN_TOKEN}`,
      contentType: 'application/json',
      headers: {},
      body: bodyOf('json')(
        JSON.stringify({ name: 'x', type: 'http-bearer', data: { token: 't' }, baseUrl: '' }),
      ),
      ip: '192.0.2.1',
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { details: { path: string }[] } }
    expect(new Set(error.details.map((d) => d.path))).toEqual(new Set(['baseUrl']))
  })

  it.each([
    ['multipart/form-data; boundary=xyz', 'not multipart at all'],
    [
      'multipart/form-data',
      '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--',
    ],
  ])(
    'refuses a webhook body that is not the %s it claims with 400 INVALID_FORM',
    async (type, data) => {
      const before = await tableCounts()
      const response = await SELF.fetch(hook.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': type },
        body: data,
      })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'INVALID_FORM',
      )
      expect(await tableCounts()).toEqual(before)
    },
  )
})
