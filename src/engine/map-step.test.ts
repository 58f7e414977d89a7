import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, fakeUpstream, getRun, postAndWait } from '../../test/helpers'
import {
  BIG_BUDGET,
  holdingQueue,
  startMessage,
  storeUncheckedWorkflow,
  storeWorkflow,
} from '../../test/engine-fixtures'
import { runWorkflow } from './run-workflow'

type StepView = Awaited<ReturnType<typeof getRun>>['steps'][number] & { config?: unknown }

describe('templates in a run', () => {
  it('keeps the type of a value a field is exactly one template of', async () => {
    const workflow = await createWorkflow({
      name: 'Typed',
      nodes: [
        {
          id: 'shape',
          type: 'set',
          config: {
            fields: {
              count: '{{ $count(input.items) }}',
              customer: '{{ input.customer }}',
              skus: '{{ input.items.sku }}',
              paid: '{{ input.paid }}',
              label: 'Order {{ input.id }} for {{ input.customer.name }}',
            },
          },
        },
      ],
    })
    const run = await postAndWait(workflow, {
      id: 'ord_1',
      paid: true,
      customer: { name: 'Ada', vip: true },
      items: [{ sku: 'pen' }, { sku: 'ink' }],
    })
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({
      count: 2,
      customer: { name: 'Ada', vip: true },
      skus: ['pen', 'ink'],
      paid: true,
      label: 'Order ord_1 for Ada',
    })
  })

  it('fills a URL, a header and a nested body field of an HTTP request, and records the config it ran with', async () => {
    const upstream = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'Mapped request',
      nodes: [
        { id: 'lookup', type: 'set', config: { fields: { email: '{{ input.customer.email }}' } } },
        {
          id: 'post',
          type: 'http-request',
          config: {
            method: 'POST',
            url: `${upstream.base}/customers/{{ run.input.customer.id }}/orders?ref={{ run.input.id }}`,
            headers: { 'X-Shop': '{{ trigger.headers."x-shop" }}' },
            body: {
              order: { id: '{{ run.input.id }}', lines: '{{ $count(run.input.items) }}' },
              notify: ['{{ steps.lookup.output.email }}'],
            },
          },
        },
      ],
    })
    const run = await postAndWait(
      workflow,
      { id: 'ord_9', customer: { id: 'c7', email: 'ada@example.com' }, items: [{}, {}, {}] },
      { 'x-shop': 'north' },
    )
    expect(run.steps.map((s) => s.error)).toEqual([null, null])
    expect(run.status).toBe('succeeded')
    const { requests } = await upstream.received()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/customers/c7/orders',
      query: { ref: 'ord_9' },
      body: { order: { id: 'ord_9', lines: 3 }, notify: ['ada@example.com'] },
    })
    expect(requests[0]!.headers['x-shop']).toBe('north')
    const step = run.steps[1] as StepView
    expect(step.config).toMatchObject({
      url: `${upstream.base}/customers/c7/orders?ref=ord_9`,
      body: { order: { id: 'ord_9', lines: 3 }, notify: ['ada@example.com'] },
    })
  })

  it('fails the step on a missing value, quoting the template and the field', async () => {
    const workflow = await createWorkflow({
      name: 'Missing',
      nodes: [{ id: 'shape', type: 'set', config: { fields: { to: '{{ input.email }}' } } }],
    })
    const run = await postAndWait(workflow, { name: 'Ada' })
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({
      code: 'TEMPLATE_FAILED',
      message:
        "Step 1 'shape' (set) failed: Template {{ input.email }} in config.fields.to failed: it reads a missing value (nothing matched)",
    })
  })

  it('reads steps.X from D1 when the run continues in a new message', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: [
        { id: 'first', type: 'set', config: { fields: { token: '{{ input.token }}' } } },
        { id: 'middle', type: 'set', config: { fields: { other: 1 } } },
        {
          id: 'call',
          type: 'http-request',
          config: {
            method: 'POST',
            url: upstream.url('/x'),
            body: { t: '{{ steps.first.output.token }}' },
          },
        },
      ],
    })
    const message = startMessage(workflowId, { token: 'abc' })
    const later = holdingQueue()
    // One step per message: 'call' runs in the third message, which has only D1 to read from.
    await runWorkflow({ db: env.DB, queue: later.queue }, message, { steps: 1, wallMs: 60_000 })
    await runWorkflow({ db: env.DB, queue: later.queue }, later.sent[0]!.body, {
      steps: 1,
      wallMs: 60_000,
    })
    await runWorkflow({ db: env.DB, queue: later.queue }, later.sent[1]!.body, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect((await upstream.received()).requests.map((r) => r.body)).toEqual([{ t: 'abc' }])
  })
})

describe('if', () => {
  it('skips a node whose condition is false and passes its input on unchanged', async () => {
    const workflow = await createWorkflow({
      name: 'Only big',
      nodes: [
        { id: 'tag', type: 'set', if: 'input.total > 100', config: { fields: { big: true } } },
        { id: 'after', type: 'transform', config: { expression: '$' } },
      ],
    })
    const run = await postAndWait(workflow, { total: 5, id: 'o1' })
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]).toMatchObject({
      status: 'skipped',
      error: { code: 'SKIPPED', message: 'skipped: if is false: input.total > 100' },
    })
    expect(run.steps[1]).toMatchObject({ status: 'succeeded', input: { total: 5, id: 'o1' } })
    expect(run.output).toEqual({ total: 5, id: 'o1' })

    const big = await postAndWait(workflow, { total: 500 })
    expect(big.steps[0]!.status).toBe('succeeded')
    expect(big.output).toEqual({ big: true })
  })

  it('fails the step when the condition cannot be evaluated', async () => {
    const workflow = await createWorkflow({
      name: 'Bad if',
      nodes: [{ id: 'tag', type: 'set', if: 'input.name > 3', config: { fields: {} } }],
    })
    const run = await postAndWait(workflow, { name: 'Ada' })
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({ code: 'IF_FAILED' })
  })
})

describe('forEach', () => {
  it('runs over three items, one failing under continue: the others go on and the failure is recorded', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        method: 'POST',
        path: '/lines/b',
        responses: [{ status: 422, body: { error: 'no stock' } }],
      },
    ])
    const workflow = await createWorkflow({
      name: 'Lines',
      nodes: [
        {
          id: 'each',
          type: 'http-request',
          forEach: '{{ input.lines }}',
          onError: 'continue',
          config: {
            method: 'POST',
            url: `${upstream.base}/lines/{{ item.sku }}`,
            body: { i: '{{ index }}' },
          },
        },
      ],
    })
    const run = await postAndWait(workflow, { lines: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] })
    expect(run.status).toBe('completed_with_errors')
    const step = run.steps[0]!
    expect(step.status).toBe('succeeded')
    const output = step.output as ({ status: number; body: unknown } | null)[]
    expect(output.map((o) => o?.status ?? null)).toEqual([200, null, 200])
    expect(step.error).toMatchObject({
      code: 'FOR_EACH_PARTIAL',
      details: { failed: [{ index: 1, code: 'HTTP_ERROR' }] },
    })
    expect((await upstream.received()).requests.map((r) => [r.path, r.body])).toEqual([
      ['/lines/a', { i: 0 }],
      ['/lines/b', { i: 1 }],
      ['/lines/c', { i: 2 }],
    ])
  })

  it('stops at the first failing element under stop, naming it', async () => {
    const workflow = await createWorkflow({
      name: 'Stop',
      nodes: [
        {
          id: 'each',
          type: 'set',
          forEach: '{{ input.lines }}',
          config: { fields: { v: '{{ item.x }}' } },
        },
      ],
    })
    const run = await postAndWait(workflow, { lines: [{ x: 1 }, {}, { x: 3 }] })
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({
      code: 'TEMPLATE_FAILED',
      message:
        "Step 1 'each' (set) failed: element 1 of 3 failed: Template {{ item.x }} in config.fields.v failed: it reads a missing value (nothing matched)",
      details: { index: 1 },
    })
  })

  it('still ends completed_with_errors when the run continues in a new message after a partial forEach', async () => {
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'each',
          type: 'set',
          forEach: '{{ input.lines }}',
          onError: 'continue',
          config: { fields: { v: '{{ item.x }}' } },
        },
        { id: 'last', type: 'set', config: { fields: { done: true } } },
      ],
    })
    const message = startMessage(workflowId, { lines: [{ x: 1 }, {}] })
    const later = holdingQueue()
    await runWorkflow({ db: env.DB, queue: later.queue }, message, { steps: 1, wallMs: 60_000 })
    await runWorkflow({ db: env.DB, queue: later.queue }, later.sent[0]!.body, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded'])
    expect(run.steps[0]!.output).toEqual([{ v: 1 }, null])
    expect(run.status).toBe('completed_with_errors')
  })

  it('fails, rather than skips, an element that pauses the run (a workflow saved before that was refused)', async () => {
    const workflowId = await storeUncheckedWorkflow({
      nodes: [{ id: 'wait', type: 'delay', config: { seconds: 60 }, forEach: '{{ input.ids }}' }],
    })
    const message = startMessage(workflowId, { ids: [1, 2] })
    await runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.waitingFor).toBeUndefined()
    expect(run.steps[0]!.error).toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        "Step 1 'wait' (delay) failed: element 0 of 2 failed: a 'delay' node pauses the whole run, so it cannot run once per element",
    })
  })

  it("counts each element with outside effects against the message's step budget", async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'each',
          type: 'http-request',
          forEach: '{{ [1, 2, 3] }}',
          config: { method: 'POST', url: upstream.url('/e/{{ item }}') },
        },
        {
          id: 'after',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/after') },
        },
      ],
    })
    const message = startMessage(workflowId, {})
    const later = holdingQueue()
    await runWorkflow({ db: env.DB, queue: later.queue }, message, { steps: 3, wallMs: 60_000 })
    // Three calls made: the fourth waits for the next message.
    expect(later.sent).toHaveLength(1)
    expect((await upstream.received()).requests.map((r) => r.path)).toEqual([
      '/e/1',
      '/e/2',
      '/e/3',
    ])
    await runWorkflow({ db: env.DB, queue: later.queue }, later.sent[0]!.body, BIG_BUDGET)
    expect((await getRun(message.runId)).status).toBe('succeeded')
  })

  it('resumes a forEach with outside effects cut after two of five elements without repeating them', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'each',
          type: 'http-request',
          forEach: '{{ input.ids }}',
          config: {
            method: 'POST',
            url: upstream.url('/charge/{{ item }}'),
            sendIdempotencyKey: true,
          },
        },
      ],
    })
    const message = startMessage(workflowId, { ids: ['a', 'b', 'c', 'd', 'e'] })
    const later = holdingQueue()
    // A budget of two steps: the message stops after two elements and hands the run on.
    await runWorkflow({ db: env.DB, queue: later.queue }, message, { steps: 2, wallMs: 60_000 })
    expect(later.sent).toHaveLength(1)
    expect((await upstream.received()).requests.map((r) => r.path)).toEqual([
      '/charge/a',
      '/charge/b',
    ])
    expect((await getRun(message.runId)).steps).toEqual([])

    await runWorkflow({ db: env.DB, queue: later.queue }, later.sent[0]!.body, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    const { requests } = await upstream.received()
    expect(requests.map((r) => r.path)).toEqual([
      '/charge/a',
      '/charge/b',
      '/charge/c',
      '/charge/d',
      '/charge/e',
    ])
    // Each element has its own idempotency key: an API never takes element 2 for a repeat of 1.
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(5)
    expect((run.steps[0]!.output as unknown[]).length).toBe(5)
    const left = await env.DB.prepare('SELECT count(*) AS n FROM foreach_items WHERE run_id = ?')
      .bind(message.runId)
      .first<{ n: number }>()
    expect(left!.n).toBe(0)
  })
})

describe('code in a workflow', () => {
  it('gets input and the template context', async () => {
    const workflow = await createWorkflow({
      name: 'Code',
      nodes: [
        { id: 'first', type: 'set', config: { fields: { k: 3 } } },
        {
          id: 'js',
          type: 'code',
          config: {
            code: "return { n: input.k * 2, from: context.steps.first.output.k, run: context.run.id, raw: '{{ input.k }}' }",
          },
        },
      ],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('succeeded')
    // The source is never templated: '{{ input.k }}' stays text.
    expect(run.output).toEqual({ n: 6, from: 3, run: run.id, raw: '{{ input.k }}' })
  })
})
