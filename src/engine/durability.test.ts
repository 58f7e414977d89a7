import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { deliver, fakeUpstream, getRun, waitForRun } from '../../test/helpers'
import { BIG_BUDGET, holdingQueue, startMessage, storeWorkflow } from '../../test/engine-fixtures'
import { runWorkflow } from './run-workflow'

const N = 4

async function sideEffectWorkflow(upstreamUrl: (path: string) => string) {
  return storeWorkflow({
    nodes: Array.from({ length: N }, (_, i) => ({
      id: `step-${i}`,
      type: 'http-request',
      config: {
        method: 'POST',
        url: upstreamUrl(`/effect/${i}`),
        sendIdempotencyKey: true,
        body: { step: i },
      },
    })),
  })
}

/** What a consumer that died holding the run leaves behind, once its lease has run out. */
async function leaseOfDeadConsumer(runId: string) {
  await env.DB.prepare(
    "UPDATE runs SET status = 'running', lease_id = 'dead-consumer', lease_until = ?2 WHERE id = ?1",
  )
    .bind(runId, Date.now() - 1)
    .run()
}

describe('checkpoint and resume', () => {
  for (let k = 0; k <= N; k++) {
    it(`a consumer that dies after step ${k} of ${N} is redelivered: every side effect happens once`, async () => {
      const upstream = fakeUpstream()
      const workflowId = await sideEffectWorkflow(upstream.url)
      const message = startMessage(workflowId, { order: 7 })

      if (k > 0) {
        // The first consumer records k steps, then its continuation is lost and it dies.
        const lost = holdingQueue()
        await runWorkflow({ db: env.DB, queue: lost.queue }, message, { steps: k, wallMs: 60_000 })
        if (k < N) expect(lost.sent).toHaveLength(1)
      } else {
        // It died before recording anything, in the middle of step 0 after its side effect.
        await fetch(upstream.url('/effect/0'), {
          method: 'POST',
          headers: { 'idempotency-key': `${message.runId}:step-0` },
          body: JSON.stringify({ step: 0 }),
        })
      }
      await leaseOfDeadConsumer(message.runId)
      if (k < N && k > 0) {
        // And it had already called step k's API before dying.
        await fetch(upstream.url(`/effect/${k}`), {
          method: 'POST',
          headers: { 'idempotency-key': `${message.runId}:step-${k}` },
          body: JSON.stringify({ step: k }),
        })
      }

      // The queue redelivers the original message.
      const result = await deliver([message], { attempts: 2 })
      expect(result.explicitAcks).toHaveLength(1)

      const run = await getRun(message.runId)
      expect(run.status).toBe('succeeded')
      expect(run.steps.map((s) => [s.index, s.status])).toEqual(
        Array.from({ length: N }, (_, i) => [i, 'succeeded']),
      )
      const { effects } = await upstream.received()
      expect(effects.map((e) => e.path).sort()).toEqual(
        Array.from({ length: N }, (_, i) => `/effect/${i}`),
      )
    })
  }

  it('a redelivered message for a finished run is acked and runs nothing', async () => {
    const upstream = fakeUpstream()
    const workflowId = await sideEffectWorkflow(upstream.url)
    const message = startMessage(workflowId, {})
    await deliver([message])
    expect((await getRun(message.runId)).status).toBe('succeeded')
    const before = (await upstream.received()).requests.length

    const again = await deliver([message], { attempts: 3 })
    expect(again.explicitAcks).toHaveLength(1)
    expect((await upstream.received()).requests.length).toBe(before)
  })

  it('two deliveries of one message at the same time run each step once', async () => {
    const upstream = fakeUpstream()
    const workflowId = await sideEffectWorkflow(upstream.url)
    const message = startMessage(workflowId, {})

    const deps = { db: env.DB, queue: holdingQueue().queue }
    const outcomes = await Promise.all([
      runWorkflow(deps, message, BIG_BUDGET),
      runWorkflow(deps, message, BIG_BUDGET),
    ])
    // One took the run; the other found it leased and comes back when the lease ends.
    expect(outcomes).toContainEqual({ action: 'ack' })
    const retry = outcomes.find((o) => o.action === 'retry')
    expect(retry).toEqual({ action: 'retry', delaySeconds: 120 })

    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    const { requests } = await upstream.received()
    expect(requests.map((r) => r.path).sort()).toEqual(
      Array.from({ length: N }, (_, i) => `/effect/${i}`),
    )
  })

  it('a consumer whose lease was taken over cannot record a step', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/effect/0', responses: [{ status: 200, body: {}, gate: 'step-0' }] },
    ])
    const workflowId = await sideEffectWorkflow(upstream.url)
    const message = startMessage(workflowId, {})
    const slow = runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    // While step 0 is in flight (its answer held at the gate), the lease goes to another consumer.
    await upstream.waitForRequests(1)
    await env.DB.prepare("UPDATE runs SET lease_id = 'usurper', lease_until = ?2 WHERE id = ?1")
      .bind(message.runId, Date.now() + 60_000)
      .run()
    await upstream.release('step-0')
    expect(await slow).toEqual({ action: 'ack' })
    const run = await getRun(message.runId)
    expect(run.steps).toHaveLength(0)
    expect(run.status).toBe('running')
  })
})

describe('platform limits', () => {
  it('a 200-node workflow completes across several queue messages', async () => {
    const workflowId = await storeWorkflow({
      nodes: Array.from({ length: 200 }, (_, i) => ({
        id: `n${i}`,
        type: 'transform',
        config: { expression: '{ "count": count + 1 }' },
      })),
    })
    const message = startMessage(workflowId, { count: 0 })
    const queue = holdingQueue()
    let deliveries = 0
    let next = message
    for (;;) {
      deliveries += 1
      await runWorkflow({ db: env.DB, queue: queue.queue }, next, { steps: 40, wallMs: 60_000 })
      const sent = queue.sent.shift()
      if (!sent) break
      next = sent.body
    }
    expect(deliveries).toBe(5)
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps).toHaveLength(200)
    expect(run.output).toEqual({ count: 200 })
  })

  it("does the same through the real queue, with the consumer's own budget", async () => {
    const workflowId = await storeWorkflow({
      nodes: Array.from({ length: 90 }, (_, i) => ({
        id: `n${i}`,
        type: 'transform',
        config: { expression: '{ "count": count + 1 }' },
      })),
    })
    const message = startMessage(workflowId, { count: 0 })
    await env.RUNS.send(message)
    const run = await waitForRun(message.runId, 30_000)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ count: 90 })
  })
})

describe('infrastructure failures', () => {
  it('retries the message when D1 is unavailable, and the run completes on redelivery', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'one', type: 'transform', config: { expression: '"ok"' } }],
    })
    const message = startMessage(workflowId, {})
    const unavailable = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch' || key === 'prepare') {
          return () => {
            throw new Error('D1_ERROR: Network connection lost.')
          }
        }
        return Reflect.get(target, key)
      },
    })
    const result = await deliver([message], { env: { ...env, DB: unavailable } })
    expect(result.explicitAcks).toHaveLength(0)
    expect(result.retryMessages).toEqual([{ msgId: result.ids[0] }])

    await deliver([message], { attempts: 2 })
    expect((await getRun(message.runId)).status).toBe('succeeded')
  })
})
