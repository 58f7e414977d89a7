import { describe, expect, it } from 'vitest'
import { runCode } from '../src/code/run-code'
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
          workflowId: 'w',
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
})
