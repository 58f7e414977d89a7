import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { idAt, storeWorkflow } from '../../test/engine-fixtures'
import { DAY_MS, pruneRuns } from './prune-runs'

// Blobs a step's filled-in config and a forEach's finished elements refer to (migration 0006).
const RETAIN_30 = { DB: env.DB, RETENTION_DAYS: '30' }

async function blobAt(ms: number) {
  const id = idAt(ms)
  await env.DB.prepare('INSERT INTO blobs (id, seq, data, created_at) VALUES (?, 0, ?, ?)')
    .bind(id, '{"big":true}', ms)
    .run()
  return id
}

/** A run with a step whose config is a blob and a forEach element whose output is one. */
async function seed(workflowId: string, createdAt: number, finishedAt: number | null) {
  const id = idAt(createdAt)
  const [config, element] = [await blobAt(createdAt), await blobAt(createdAt)]
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, created_at, finished_at, wake_at)
       VALUES (?1, ?2, 1, ?3, '{}', ?4, ?5, ?4)`,
    ).bind(id, workflowId, finishedAt ? 'failed' : 'running', createdAt, finishedAt),
    env.DB.prepare(
      `INSERT INTO steps (run_id, step_index, node_id, node_type, status, attempts, config)
       VALUES (?, 0, 'a', 'http-request', 'succeeded', 1, ?)`,
    ).bind(id, `blob:${config}`),
    env.DB.prepare(
      `INSERT INTO foreach_items (run_id, step_index, item_index, status, output, attempts)
       VALUES (?, 1, 0, 'succeeded', ?, 1)`,
    ).bind(id, `blob:${element}`),
  ])
  return { id, blobs: [config, element] }
}

async function left(run: { id: string; blobs: string[] }) {
  const [items, blobs] = await env.DB.batch<{ n: number }>([
    env.DB.prepare('SELECT count(*) AS n FROM foreach_items WHERE run_id = ?').bind(run.id),
    env.DB.prepare('SELECT count(*) AS n FROM blobs WHERE id IN (?, ?)').bind(...run.blobs),
  ])
  return { items: items!.results[0]!.n, blobs: blobs!.results[0]!.n }
}

describe('retention and the mapping tables', () => {
  it('keeps the config and element blobs of a run still going, and deletes those of a pruned run', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    const live = await seed(workflowId, now - 40 * DAY_MS, null)
    const old = await seed(workflowId, now - 40 * DAY_MS, now - 31 * DAY_MS)
    for (let i = 0; i < 20; i++) {
      const pruned = await pruneRuns(RETAIN_30)
      if (pruned.runs === 0 && pruned.orphans === 0) break
    }
    expect(await left(live)).toEqual({ items: 1, blobs: 2 })
    expect(await left(old)).toEqual({ items: 0, blobs: 0 })
  })
})
