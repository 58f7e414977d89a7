import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, fakeUpstream, getRun, postAndWait, postWebhook } from '../../test/helpers'
import {
  BIG_BUDGET,
  holdingQueue,
  startMessage,
  storeUncheckedWorkflow,
  storeWorkflow,
  withFixtureNodes,
} from '../../test/engine-fixtures'
import { runWorkflow } from './run-workflow'

const post = (url: string, extra: Record<string, unknown> = {}) => ({
  type: 'http-request',
  config: { method: 'POST', url, sendIdempotencyKey: true },
  ...extra,
})

describe('failures under stop and continue', () => {
  it('stops at a failing node: the run fails naming the node, the rest is skipped', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/broken', responses: [{ status: 422, body: { message: 'email is required' } }] },
    ])
    const workflow = await createWorkflow({
      name: 'stops',
      nodes: [
        { id: 'shape', type: 'transform', config: { expression: '{ "n": n + 1 }' } },
        {
          id: 'send',
          type: 'http-request',
          name: 'Send it',
          config: { method: 'POST', url: upstream.url('/broken') },
        },
        { id: 'after', type: 'transform', config: { expression: '$' } },
      ],
    })
    const run = await postAndWait(workflow, { n: 1 })

    expect(run.status).toBe('failed')
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped'])
    const failed = run.steps[1]!
    expect(failed.error!.message).toContain('Step 2 \'send\' (http-request, "Send it") failed')
    expect(failed.error!.message).toContain('422')
    expect(failed.error!.message).toContain('email is required')
    expect(failed.error!.code).toBe('HTTP_ERROR')
    expect(failed.input).toEqual({ n: 2 })
    expect(run.error!.step).toEqual({ index: 1, id: 'send', type: 'http-request', name: 'Send it' })
    expect(run.output).toEqual({ n: 2 })
  })

  it("continues past a failing node: the next node gets the failed node's input", async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/broken', responses: [{ status: 500, body: 'boom' }] }])
    const workflow = await createWorkflow({
      name: 'continues',
      onError: 'stop',
      nodes: [
        { id: 'shape', type: 'transform', config: { expression: '{ "n": n * 10 }' } },
        { ...post(upstream.url('/broken')), id: 'send', onError: 'continue' },
        { id: 'after', type: 'transform', config: { expression: '{ "seen": n }' } },
      ],
    })
    const run = await postAndWait(workflow, { n: 4 })

    expect(run.status).toBe('completed_with_errors')
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'succeeded'])
    expect(run.steps[2]!.input).toEqual({ n: 40 })
    expect(run.output).toEqual({ seen: 40 })
    expect(run.steps[1]!.output).toBeNull()
  })

  it('workflow-level continue applies to every node without its own setting', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '*', responses: [{ status: 400, body: { error: 'nope' } }] }])
    const workflow = await createWorkflow({
      name: 'all continue',
      onError: 'continue',
      nodes: [
        { ...post(upstream.url('/a')), id: 'a' },
        { ...post(upstream.url('/b')), id: 'b' },
        { id: 'c', type: 'transform', config: { expression: '"done"' } },
      ],
    })
    const run = await postAndWait(workflow, { x: 1 })
    expect(run.status).toBe('completed_with_errors')
    expect(run.steps.map((s) => s.status)).toEqual(['failed', 'failed', 'succeeded'])
    expect(run.steps[1]!.input).toEqual({ x: 1 })
  })

  it('reports a thrown non-Error value, naming the node', async () => {
    const workflowId = await storeUncheckedWorkflow({
      nodes: [
        {
          id: 'thrower',
          type: 'throw-value',
          name: 'Throws',
          config: { value: { reason: 'teapot', code: 418 } },
        },
      ],
    })
    const message = startMessage(workflowId, {})
    const { queue } = holdingQueue()
    await runWorkflow({ db: env.DB, queue, nodes: withFixtureNodes }, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    const error = run.steps[0]!.error!
    expect(error.code).toBe('NON_ERROR_THROWN')
    expect(error.message).toContain('Step 1 \'thrower\' (throw-value, "Throws") failed')
    expect(error.message).toContain('teapot')
    expect(error.details).toEqual({ reason: 'teapot', code: 418 })
  })

  it('fails a step whose node type left the registry, instead of crashing the run', async () => {
    const workflowId = await storeUncheckedWorkflow({
      nodes: [{ id: 'gone', type: 'no-such-node', config: {} }],
    })
    const message = startMessage(workflowId, {})
    await runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error!.code).toBe('NODE_TYPE_UNKNOWN')
  })
})

describe('retries and timeouts', () => {
  it('retries a failing node inside the consumer and logs the attempts', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/flaky',
        responses: [
          { status: 503, body: 'down' },
          { status: 503, body: 'down' },
          { status: 200, body: { ok: 1 } },
        ],
      },
    ])
    const workflow = await createWorkflow({
      name: 'flaky',
      nodes: [
        {
          ...post(upstream.url('/flaky')),
          id: 'send',
          retry: { maxAttempts: 4, delayMs: 10, backoff: 'exponential' },
        },
      ],
    })
    const run = await postAndWait(workflow, { a: 1 })
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempts).toBe(3)
    const { requests } = await upstream.received()
    expect(requests).toHaveLength(3)
    // The same idempotency key on every attempt, so the API can recognise the repeat.
    expect(new Set(requests.map((r) => r.headers['idempotency-key'])).size).toBe(1)
    expect(requests[0]!.headers['idempotency-key']).toBe(`${run.id}:send`)
  })

  it('does not retry a non-retryable error (a 4xx): one attempt, the last error kept', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/bad', responses: [{ status: 401, body: { message: 'bad token' } }] },
    ])
    const workflow = await createWorkflow({
      name: 'non-retryable',
      nodes: [
        { ...post(upstream.url('/bad')), id: 'send', retry: { maxAttempts: 5, delayMs: 10 } },
      ],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.attempts).toBe(1)
    expect(run.steps[0]!.error!.message).toContain('bad token')
    expect((await upstream.received()).requests).toHaveLength(1)
  })

  it('gives up after maxAttempts with the last error', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/down', responses: [{ status: 502, body: { message: 'bad gateway' } }] },
    ])
    const workflow = await createWorkflow({
      name: 'exhausted',
      nodes: [
        {
          ...post(upstream.url('/down')),
          id: 'send',
          retry: { maxAttempts: 3, delayMs: 5, backoff: 'fixed' },
        },
      ],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.attempts).toBe(3)
    expect(run.steps[0]!.error!.message).toContain('bad gateway')
  })

  it('puts a long retry wait back on the queue with a delay instead of holding the consumer', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/later',
        responses: [
          { status: 503, body: 'busy' },
          { status: 200, body: { ok: true } },
        ],
      },
    ])
    const workflowId = await storeWorkflow({
      nodes: [
        { ...post(upstream.url('/later')), id: 'send', retry: { maxAttempts: 3, delayMs: 90_000 } },
      ],
    })
    const message = startMessage(workflowId, { hello: 1 })
    const held = holdingQueue()
    await runWorkflow({ db: env.DB, queue: held.queue }, message, BIG_BUDGET)
    expect(held.sent).toEqual([{ body: { v: 1, runId: message.runId }, delaySeconds: 90 }])

    const waiting = await getRun(message.runId)
    expect(waiting.status).toBe('running')
    expect(waiting.steps).toHaveLength(0)
    expect(waiting.waitingForRetry).toMatchObject({
      stepIndex: 0,
      attemptsSoFar: 1,
      lastError: { code: 'HTTP_ERROR' },
    })
    const next = Date.parse((waiting.waitingForRetry as { nextAttemptAt: string }).nextAttemptAt)
    expect(next - Date.now()).toBeGreaterThan(60_000)

    // The delayed message arrives: the attempt count carries on from where it stopped.
    await runWorkflow({ db: env.DB, queue: held.queue }, held.sent[0]!.body, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.waitingForRetry).toBeUndefined()
    expect(run.steps[0]!.attempts).toBe(2)
    expect((await upstream.received()).requests).toHaveLength(2)
  })

  it("honours an API's Retry-After over the configured delay", async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/limited',
        responses: [
          { status: 429, headers: { 'retry-after': '120' }, body: { message: 'slow down' } },
          { status: 200, body: {} },
        ],
      },
    ])
    const workflowId = await storeWorkflow({
      nodes: [
        { ...post(upstream.url('/limited')), id: 'send', retry: { maxAttempts: 2, delayMs: 10 } },
      ],
    })
    const message = startMessage(workflowId, {})
    const held = holdingQueue()
    await runWorkflow({ db: env.DB, queue: held.queue }, message, BIG_BUDGET)
    expect(held.sent[0]!.delaySeconds).toBe(120)
  })

  it('fails a node that runs past its timeout, naming it', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/slow', responses: [{ status: 200, body: {}, delayMs: 2_000 }] },
    ])
    const workflow = await createWorkflow({
      name: 'slow',
      nodes: [{ ...post(upstream.url('/slow')), id: 'slowpoke', timeoutMs: 200 }],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error!.code).toBe('NODE_TIMEOUT')
    expect(run.steps[0]!.error!.message).toContain(
      "Step 1 'slowpoke' (http-request) failed: Timed out after 200 ms",
    )
  })
})
