import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { getRun, waitForRun } from '../../test/helpers'
import { holdingQueue, seedRun, startMessage, storeWorkflow } from '../../test/engine-fixtures'
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
