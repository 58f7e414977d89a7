import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode, suspendRun } from '../nodes/define-node'
import { getNode } from '../nodes/registry'
import { deliver, getRun, waitForRun } from '../../test/helpers'
import {
  BIG_BUDGET,
  holdingQueue,
  startMessage,
  storeUncheckedWorkflow,
  storeWorkflow,
} from '../../test/engine-fixtures'
import { runWorkflow } from './run-workflow'
import { wakeRun } from './wake-run'

async function leaseOf(runId: string) {
  return env.DB.prepare('SELECT lease_id, lease_until FROM runs WHERE id = ?')
    .bind(runId)
    .first<{ lease_id: string | null; lease_until: number | null }>()
}

describe('delay', () => {
  it('a delay of 2 s holds no consumer: the message is acked at once, the run ends after it', async () => {
    const workflowId = await storeWorkflow({
      nodes: [
        { id: 'wait', type: 'delay', config: { seconds: 2 } },
        { id: 'after', type: 'transform', config: { expression: '{ "seen": order }' } },
      ],
    })
    const message = startMessage(workflowId, { order: 7 })
    const result = await deliver([message])
    expect(result.explicitAcks).toHaveLength(1)

    // The consumer has returned; nobody holds the run, which says what it waits for.
    const waiting = await getRun(message.runId)
    expect(waiting.status).toBe('running')
    expect(waiting.steps).toHaveLength(0)
    expect(waiting.waitingFor).toMatchObject({ stepIndex: 0, nodeId: 'wait', for: 'delay' })
    const { until, since } = waiting.waitingFor as { until: string; since: string }
    expect(Date.parse(until) - Date.parse(since)).toBeGreaterThanOrEqual(2000)
    expect(await leaseOf(message.runId)).toEqual({ lease_id: null, lease_until: null })

    // The delayed queue message brings it back.
    const run = await waitForRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.waitingFor).toBeUndefined()
    expect(run.steps.map((s) => [s.nodeId, s.status, s.output])).toEqual([
      ['wait', 'succeeded', { order: 7 }],
      ['after', 'succeeded', { seen: 7 }],
    ])
    expect((run.steps[0] as unknown as { durationMs: number }).durationMs).toBeGreaterThanOrEqual(
      2000,
    )
  })

  it('a wait past the queue ceiling of 12 hours is delayed again for the rest', async () => {
    const until = new Date(Date.now() + 20 * 3600_000).toISOString()
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'wait', type: 'delay', config: { until } }],
    })
    const message = startMessage(workflowId, {})
    const held = holdingQueue()
    await runWorkflow({ db: env.DB, queue: held.queue }, message, BIG_BUDGET)
    expect(held.sent).toEqual([{ body: { v: 1, runId: message.runId }, delaySeconds: 43200 }])

    // Woken at the ceiling (here: at once), it is still waiting, and is delayed again.
    await runWorkflow({ db: env.DB, queue: held.queue }, held.sent[0]!.body, BIG_BUDGET)
    expect(held.sent).toHaveLength(2)
    expect(held.sent[1]!.delaySeconds).toBe(43200)
    const run = await getRun(message.runId)
    expect(run.steps).toHaveLength(0)
    expect(run.waitingFor).toMatchObject({ for: 'delay', until })
  })

  it('refuses a config with both seconds and until, or more than 12 hours', () => {
    const delay = getNode('delay')
    expect(delay.config.safeParse({ seconds: 1, until: '2026-01-01T00:00:00Z' }).success).toBe(
      false,
    )
    expect(delay.config.safeParse({ seconds: 43_201 }).success).toBe(false)
    expect(delay.config.safeParse({}).success).toBe(false)
  })
})

// What the triggers engineer's wait-for-webhook node does: pause until a call brings a value.
const waitForCall = defineNode({
  type: 'wait-for-call',
  title: 'Wait for a call',
  description: 'Pauses its run until wakeRun delivers a value, or an hour passes.',
  config: z.object({}),
  sample: { config: {}, input: {} },
  run: (_input, ctx) =>
    suspendRun({
      until: Date.now() + 3600_000,
      waitingFor: 'webhook',
      callKey: `key-${ctx.runId}`,
      onTimeout: { error: { message: 'no call within an hour', code: 'WAIT_TIMED_OUT' } },
    }),
})
const lookup = (type: string) => (type === 'wait-for-call' ? waitForCall : getNode(type))

describe('an outside call resumes a paused run', () => {
  it('wakeRun delivers the value once, with the right key: it becomes the step output', async () => {
    const workflowId = await storeUncheckedWorkflow({
      nodes: [
        { id: 'hold', type: 'wait-for-call', config: {} },
        { id: 'use', type: 'transform', config: { expression: '{ "approved": approved }' } },
      ],
    })
    const message = startMessage(workflowId, {})
    const held = holdingQueue()
    const deps = { db: env.DB, queue: held.queue, nodes: lookup }
    await runWorkflow(deps, message, BIG_BUDGET)
    expect((await getRun(message.runId)).waitingFor).toMatchObject({
      for: 'webhook',
      acceptsCall: true,
      delivered: false,
    })

    const call = { runId: message.runId, value: { approved: true } }
    const wake = { DB: env.DB, RUNS: held.queue }
    expect(await wakeRun(wake, { ...call, callKey: 'wrong' })).toBe(false)
    expect(await wakeRun(wake, { ...call, callKey: `key-${message.runId}` })).toBe(true)
    expect(await wakeRun(wake, { ...call, callKey: `key-${message.runId}` })).toBe(false)
    const resume = held.sent.at(-1)!
    expect(resume).toEqual({ body: { v: 1, runId: message.runId }, delaySeconds: undefined })

    await runWorkflow(deps, resume.body, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.output)).toEqual([{ approved: true }, { approved: true }])
    expect(await wakeRun(wake, { ...call, callKey: `key-${message.runId}` })).toBe(false)
  })
})
