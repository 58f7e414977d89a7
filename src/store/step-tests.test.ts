import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { idAt } from '../../test/engine-fixtures'
import worker from '../index'
import { DAY_MS } from './prune-runs'
import { TESTS_PER_NODE, listStepTests, pruneStepTests, recordStepTest } from './step-tests'

/** A test as a day long past left it: its id says when, as the Worker's UUIDv7 ids do. */
async function seedTest(workflowId: string, nodeId: string, at: number) {
  const id = idAt(at)
  await env.DB.prepare(
    `INSERT INTO step_tests (id, workflow_id, node_id, node_type, workflow_version, draft, status,
       duration_ms, tested_at) VALUES (?, ?, ?, 'set', 1, 0, 'succeeded', 5, ?)`,
  )
    .bind(id, workflowId, nodeId, at)
    .run()
  return id
}

const ids = async (workflowId: string) =>
  (await listStepTests(env.DB, workflowId, { limit: 1000 })).map((t) => t.id)

const verdict = (workflowId: string, nodeId: string) => ({
  workflowId,
  nodeId,
  nodeType: 'set',
  workflowVersion: 1,
  draft: false,
  durationMs: 3,
})

describe('step test retention', () => {
  it('keeps the newest 20 tests of a node, whatever the other nodes have', async () => {
    const workflowId = `wf_cap_${crypto.randomUUID()}`
    const made: string[] = []
    for (let i = 0; i < TESTS_PER_NODE + 3; i++)
      made.push(await recordStepTest(env.DB, verdict(workflowId, 'busy')))
    const quiet = await recordStepTest(env.DB, verdict(workflowId, 'quiet'))
    const kept = await listStepTests(env.DB, workflowId, { nodeId: 'busy', limit: 1000 })
    expect(kept.map((t) => t.id)).toEqual(made.slice(3).reverse())
    expect(await ids(workflowId)).toContain(quiet)
  })

  it('deletes tests older than RETENTION_DAYS, keeps the rest, and keeps all with 0', async () => {
    const workflowId = `wf_age_${crypto.randomUUID()}`
    const now = Date.now()
    const old = await seedTest(workflowId, 'a', now - 31 * DAY_MS)
    const recent = await seedTest(workflowId, 'a', now - 29 * DAY_MS)
    expect(await pruneStepTests({ DB: env.DB, RETENTION_DAYS: '0' }, now)).toBe(0)
    expect(await ids(workflowId)).toEqual([recent, old])
    expect(await pruneStepTests({ DB: env.DB, RETENTION_DAYS: '30' }, now)).toBeGreaterThan(0)
    expect(await ids(workflowId)).toEqual([recent])
  })

  it('prunes a bounded batch per call', async () => {
    const workflowId = `wf_batch_${crypto.randomUUID()}`
    const now = Date.now()
    for (let i = 0; i < 5; i++) await seedTest(workflowId, `n${i}`, now - 40 * DAY_MS + i)
    const settings = { DB: env.DB, RETENTION_DAYS: '30' }
    expect(await pruneStepTests(settings, now, 2)).toBe(2)
    expect(await ids(workflowId)).toHaveLength(3)
    while ((await pruneStepTests(settings, now, 2)) > 0);
    expect(await ids(workflowId)).toEqual([])
  })

  it('is part of the cron: a tick deletes an expired step test', async () => {
    const workflowId = `wf_cron_${crypto.randomUUID()}`
    const old = await seedTest(workflowId, 'a', Date.now() - 400 * DAY_MS)
    expect(await ids(workflowId)).toEqual([old])
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(await ids(workflowId)).toEqual([])
  })
})
