import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { fakeUpstream, getRun } from '../../test/helpers'
import { BIG_BUDGET, holdingQueue, startMessage, storeWorkflow } from '../../test/engine-fixtures'
import { LEASE_MS } from './lease-guard'
import { runWorkflow } from './run-workflow'

describe('lease renewal', () => {
  it('a node whose timeout outlasts the lease renews it; a second delivery meanwhile is told the run is leased and causes no second effect', async () => {
    const upstream = fakeUpstream()
    await upstream.program([{ path: '/long', responses: [{ body: { done: true }, gate: 'long' }] }])
    const timeoutMs = LEASE_MS + 80_000
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'long',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/long'), sendIdempotencyKey: true },
          timeoutMs,
        },
      ],
    })
    const message = startMessage(workflowId, {})
    const deps = { db: env.DB, queue: holdingQueue().queue }
    const startedAt = Date.now()
    const first = runWorkflow(deps, message, BIG_BUDGET)
    await upstream.waitForRequests(1)

    // The lease now covers the node's whole timeout, not just the default lease.
    const row = await env.DB.prepare('SELECT lease_until FROM runs WHERE id = ?')
      .bind(message.runId)
      .first<{ lease_until: number }>()
    expect(row!.lease_until).toBeGreaterThanOrEqual(startedAt + timeoutMs)

    // The queue redelivers the message while the node is still in flight.
    const second = await runWorkflow(deps, message, BIG_BUDGET)
    expect(second.action).toBe('retry')
    if (second.action === 'retry')
      expect(second.delaySeconds * 1000).toBeGreaterThan(timeoutMs - 60_000)

    await upstream.release('long')
    expect(await first).toEqual({ action: 'ack' })
    const run = await getRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps).toHaveLength(1)
    const { requests, effects } = await upstream.received()
    expect(requests).toHaveLength(1)
    expect(effects).toHaveLength(1)
  })
})
