import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { deliver, fakeUpstream, getRun, waitForRun } from '../../test/helpers'
import {
  BIG_BUDGET,
  holdingQueue,
  seedRun,
  startMessage,
  storeWorkflow,
} from '../../test/engine-fixtures'
import type { RunMessage } from '../store/run-model'
import { runWorkflow } from './run-workflow'
import { sweepStuckRuns } from './sweeper'

const MINUTE = 60_000

async function stuckRun(status: 'queued' | 'running', quietForMs: number, sweeps = 0) {
  const workflowId = await storeWorkflow({
    nodes: [{ id: 'a', type: 'transform', config: { expression: '{ "swept": true }' } }],
  })
  const message = startMessage(workflowId, { x: 1 })
  const then = Date.now() - quietForMs
  const dead = status === 'running'
  await seedRun(message, {
    status,
    at: then,
    sweeps,
    leaseId: dead ? 'dead' : null,
    leaseUntil: dead ? then : null,
  })
  return message.runId
}

const settings = { SWEEP_AFTER_SECONDS: '300', SWEEP_MAX_ATTEMPTS: '3' }

describe('sweeper', () => {
  it('re-enqueues a queued run whose message was lost, and the run then completes', async () => {
    const runId = await stuckRun('queued', 10 * MINUTE)
    const held = holdingQueue()
    const result = await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(result.requeued).toBeGreaterThanOrEqual(1)
    expect(held.sent.map((s) => s.body)).toContainEqual({ v: 1, runId })

    // Delivered for real, the run finishes.
    await env.RUNS.send({ v: 1, runId })
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ swept: true })
  })

  it('re-enqueues a running run whose consumer died (lease expired, no progress)', async () => {
    const runId = await stuckRun('running', 10 * MINUTE)
    const held = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(held.sent.map((s) => s.body)).toContainEqual({ v: 1, runId })
  })

  it('leaves alone a run that moved recently', async () => {
    const runId = await stuckRun('queued', 10_000)
    const held = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(held.sent.map((s) => s.body)).not.toContainEqual({ v: 1, runId })
  })

  it('fails a run after the bounded number of sweeps, with the reason', async () => {
    const runId = await stuckRun('queued', 10 * MINUTE, 3)
    const held = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(held.sent.map((s) => s.body)).not.toContainEqual({ v: 1, runId })
    const run = await getRun(runId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'STUCK' })
  })

  it('does not sweep the same run twice in a row', async () => {
    const runId = await stuckRun('queued', 10 * MINUTE)
    const held = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(held.sent.filter((s) => s.body.runId === runId)).toHaveLength(1)
  })
})

describe('sweeper edges', () => {
  it('leaves alone a run whose consumer still holds a live lease, however old its wake_at', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const message = startMessage(workflowId, {})
    await seedRun(message, {
      status: 'running',
      at: Date.now() - 60 * MINUTE,
      leaseId: 'live-consumer',
      leaseUntil: Date.now() + 2 * MINUTE,
    })
    const held = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: held.queue })
    expect(held.sent.map((s) => s.body.runId)).not.toContain(message.runId)
    const row = await env.DB.prepare('SELECT sweeps, lease_id FROM runs WHERE id = ?')
      .bind(message.runId)
      .first()
    expect(row).toEqual({ sweeps: 0, lease_id: 'live-consumer' })
  })

  it('leaves a run waiting for a delayed retry alone, then recovers it when that message is lost; the attempt count carries over', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/flaky', responses: [{ status: 503, body: { error: 'busy' } }, { body: {} }] },
    ])
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'call',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/flaky') },
          retry: { maxAttempts: 3, delayMs: MINUTE, backoff: 'fixed' },
        },
      ],
    })
    const message = startMessage(workflowId, {})
    // The first attempt fails; its delayed retry message goes to a queue that loses it.
    const lost = holdingQueue()
    const startedAt = Date.now()
    await runWorkflow({ db: env.DB, queue: lost.queue }, message, BIG_BUDGET)
    expect(lost.sent).toEqual([{ body: { v: 1, runId: message.runId }, delaySeconds: 60 }])

    // Before its wake time (plus the sweep delay), the sweeper does not touch it.
    const early = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: early.queue }, startedAt + 2 * MINUTE)
    expect(early.sent.map((s) => s.body.runId)).not.toContain(message.runId)

    // Long after it, it does, and the run finishes on the retry's second attempt.
    const late = holdingQueue()
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: late.queue }, startedAt + 10 * MINUTE)
    const requeued = late.sent.filter((s) => s.body.runId === message.runId)
    expect(requeued).toHaveLength(1)
    await deliver([requeued[0]!.body])
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 })
    expect((await upstream.received()).requests).toHaveLength(2)
  })

  it('recovers more stuck runs than one tick takes, across ticks, each once, in queue batches of at most 100', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    const messages = Array.from({ length: 600 }, () => startMessage(workflowId, {}))
    // Seeded as fresh, then swept with a clock 10 minutes ahead, so the real cron leaves them be.
    await env.DB.batch(
      messages.map((m) =>
        env.DB.prepare(
          `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, input, created_at,
             wake_at, sweeps) VALUES (?1, ?2, 1, 'queued', '{}', '{}', ?3, ?3, 0)`,
        ).bind(m.runId, workflowId, now),
      ),
    )
    const sent: RunMessage[] = []
    const batchSizes: number[] = []
    const queue = {
      async send(body: RunMessage) {
        sent.push(body)
      },
      async sendBatch(batch: Iterable<MessageSendRequest<RunMessage>>) {
        const bodies = [...batch].map((m) => m.body)
        batchSizes.push(bodies.length)
        sent.push(...bodies)
      },
    }
    const later = now + 10 * MINUTE
    const first = await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: queue }, later)
    expect(first.requeued).toBeLessThanOrEqual(500)
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: queue }, later)
    await sweepStuckRuns({ ...settings, DB: env.DB, RUNS: queue }, later)
    const ours = new Set(messages.map((m) => m.runId))
    const sentOurs = sent.filter((m) => ours.has(m.runId)).map((m) => m.runId)
    expect(sentOurs).toHaveLength(600)
    expect(new Set(sentOurs).size).toBe(600)
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(100)
    // Leave nothing stuck behind for the other tests' sweeps.
    await env.DB.prepare(
      "UPDATE runs SET status = 'failed', finished_at = ?2 WHERE workflow_id = ?1",
    )
      .bind(workflowId, now)
      .run()
  })
})

describe('the cron', () => {
  it('runs the sweeper: a lost run is re-enqueued on the real queue and completes', async () => {
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } =
      await import('cloudflare:test')
    const worker = (await import('../index')).default
    const runId = await stuckRun('queued', 10 * MINUTE)
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx)
    await waitOnExecutionContext(ctx)
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ swept: true })
  })
})
