import { describe, expect, it } from 'vitest'
import { MAX_RESULT_CHARS, runCode } from '../src/code/run-code'
import { fakeUpstream } from '../test/helpers'
import { nodeContext } from '../test/node-context'
import code from './code'
import { failure } from '../test/failure'

async function run(
  config: Record<string, unknown>,
  input: unknown = {},
  templateContext?: unknown,
) {
  const ctx = nodeContext(code, config, {
    templateContext: templateContext as never,
    workflowId: `wf-${crypto.randomUUID()}`,
  })
  return code.run(input, ctx)
}

/** What the fake upstream received at an origin with a port (fakeUpstream's base has none). */
async function requestsAt(origin: string) {
  return ((await (await fetch(`${origin}/__requests`)).json()) as { requests: unknown[] }).requests
}

describe('code', () => {
  it('returns what the function returns, from input and context', async () => {
    const output = await run(
      {
        code: 'const total = input.items.reduce((s, i) => s + i.qty, 0)\nreturn { total, run: context.run.id }',
      },
      { items: [{ qty: 2 }, { qty: 3 }] },
      { run: { id: 'run-7' } },
    )
    expect(output).toEqual({ total: 5, run: 'run-7' })
  })

  it('fails with the message and the line the user wrote', async () => {
    const error = await failure(
      run({ code: 'const a = 1\n\nthrow new TypeError(`bad order ${a}`)' }),
    )
    expect(error.code).toBe('CODE_FAILED')
    expect(error.message).toBe('TypeError: bad order 1 (line 3)')
    expect(error.details).toMatchObject({ line: 3, message: 'bad order 1' })
  })

  it('stops a loop that never ends, and an endless async chain', async () => {
    const loop = await failure(run({ code: 'let n = 0\nwhile (true) {\n  n++\n}' }))
    expect(loop.code).toBe('CODE_FAILED')
    expect(loop.message).toMatch(
      /^RangeError: stopped after 20000000 loop iterations: an endless loop\? \(line 2\)$/,
    )
    const chain = await failure(
      run({
        code: 'async function again(n) {\n  await null\n  return again(n + 1)\n}\nreturn again(0)',
      }),
    )
    expect(chain.message).toBe(
      'RangeError: stopped after 2000000 function calls: endless recursion? (line 1)',
    )
  }, 30_000)

  it('refuses the network when no host is allowed', async () => {
    const upstream = fakeUpstream()
    const error = await failure(
      run({ code: `\nconst r = await fetch('${upstream.url('/x')}')\nreturn r.status` }),
    )
    expect(error.code).toBe('CODE_FAILED')
    expect(error.message).toContain('not permitted to access the internet')
    expect(error.message).toContain('(line 2)')
    expect(error.message).toContain('config.allowedHosts')
    expect((await upstream.received()).requests).toEqual([])
  })

  it('reaches a listed host through the gate, and no other', async () => {
    const allowed = fakeUpstream()
    const other = fakeUpstream()
    const host = new URL(allowed.base).hostname
    const output = await run({
      allowedHosts: [host],
      code: `const r = await fetch('${allowed.url('/orders?id=1')}', { method: 'POST', body: 'hi' })
return { status: r.status, body: await r.json() }`,
    })
    expect(output).toEqual({ status: 200, body: { ok: true, echo: 'hi' } })
    expect((await allowed.received()).requests).toMatchObject([
      { method: 'POST', path: '/orders', query: { id: '1' }, body: 'hi' },
    ])

    const error = await failure(
      run({ allowedHosts: [host], code: `return (await fetch('${other.url('/steal')}')).status` }),
    )
    expect(error.message).toContain(`is not in this code step's allowedHosts (${host})`)
    expect((await other.received()).requests).toEqual([])
  })

  it('matches the port: a bare host means its default port only, host:port that port', async () => {
    const upstream = fakeUpstream()
    const host = new URL(upstream.base).hostname
    const other = `http://${host}:8923`
    const refused = await failure(
      run({ allowedHosts: [host], code: `return (await fetch('${other}/admin')).status` }),
    )
    expect(refused.message).toContain(`${other} is not in this code step's allowedHosts (${host})`)
    expect(await requestsAt(other)).toEqual([])

    const output = await run({
      allowedHosts: [`${host}:8923`],
      code: `return (await fetch('${other}/admin')).status`,
    })
    expect(output).toBe(200)
    expect(await requestsAt(other)).toMatchObject([{ method: 'GET', path: '/admin' }])
    const defaultPort = await failure(
      run({
        allowedHosts: [`${host}:8923`],
        code: `return (await fetch('${upstream.url('/x')}')).status`,
      }),
    )
    expect(defaultPort.message).toContain(`is not in this code step's allowedHosts (${host}:8923)`)
    expect((await upstream.received()).requests).toEqual([])
  })

  it('starts every run from fresh module state: nothing one run leaves behind reaches the next', async () => {
    // The same workflow, code, hosts and limit: before, these runs shared one warm isolate.
    const ctx = (input: unknown) =>
      nodeContext(
        code,
        {
          code: 'const seen = globalThis.previousSendersInput\nglobalThis.previousSendersInput = input\nreturn { seen: seen ?? null }',
        },
        { workflowId: 'wf-shared', templateContext: { input } as never },
      )
    const first = await code.run(
      { email: 'first@example.com' },
      ctx({ email: 'first@example.com' }),
    )
    const second = await code.run(
      { email: 'second@example.com' },
      ctx({ email: 'second@example.com' }),
    )
    expect(first).toEqual({ seen: null })
    expect(second).toEqual({ seen: null })
  })

  it('refuses a result over the cap before parsing it, naming the limit', async () => {
    const error = await failure(run({ code: `return 'x'.repeat(${MAX_RESULT_CHARS})` }))
    expect(error.code).toBe('OUTPUT_TOO_LARGE')
    expect(error.message).toBe(
      `The code's result is over ${MAX_RESULT_CHARS} characters of JSON, the most a step may output`,
    )
    expect(error.details).toEqual({ limit: MAX_RESULT_CHARS })
    // Exactly at the cap still comes through.
    const fits = await run({ code: `return 'x'.repeat(${MAX_RESULT_CHARS - 2})` })
    expect((fits as string).length).toBe(MAX_RESULT_CHARS - 2)
  })

  it('cuts a thrown error to a length an error message can carry', async () => {
    const error = await failure(run({ code: `throw new Error('x'.repeat(1_000_000))` }))
    expect(error.code).toBe('CODE_FAILED')
    expect(error.message).toBe(`Error: ${'x'.repeat(2_000)}`)
  })

  it('says when the code does not compile', async () => {
    const error = await failure(run({ code: 'return {' }))
    expect(error.code).toBe('CODE_INVALID')
  })

  it('says how to enable it when the Worker Loader binding is missing', async () => {
    const error = await failure(
      runCode(
        {
          code: 'return 1',
          input: null,
          context: {},
          allowedHosts: [],
          cpuMs: 50,
        },
        null,
      ),
    )
    expect(error.code).toBe('CODE_NOT_ENABLED')
    expect(error.message).toContain('[[worker_loaders]]')
    expect(error.message).toContain('Workers Paid plan')
  })

  it('refuses an allowed host that is not a host name when saving', () => {
    expect(
      code.config.safeParse({ code: 'return 1', allowedHosts: ['https://x.test/'] }).success,
    ).toBe(false)
  })

  it('takes host:port with a port from 1 to 65535 when saving', () => {
    const valid = (host: string) =>
      code.config.safeParse({ code: 'return 1', allowedHosts: [host] }).success
    expect(valid('localhost:8787')).toBe(true)
    expect(valid('*.example.com:65535')).toBe(true)
    expect(valid('localhost:65536')).toBe(false)
    expect(valid('localhost:0')).toBe(false)
    expect(valid('localhost:')).toBe(false)
  })
})
