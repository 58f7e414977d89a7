import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { admin } from '../../test/helpers'
import { idAt, storeWorkflow } from '../../test/engine-fixtures'
import worker from '../index'
import { DAY_MS, pruneRuns } from './prune-runs'

const RETAIN_30 = { DB: env.DB, RETENTION_DAYS: '30' }

/** A stored payload written at `ms`, in two chunks, and the column text that refers to it. */
async function blobAt(ms: number) {
  const id = idAt(ms)
  await env.DB.batch([
    env.DB.prepare('INSERT INTO blobs (id, seq, data, created_at) VALUES (?, 0, ?, ?)').bind(
      id,
      '{"big":',
      ms,
    ),
    env.DB.prepare('INSERT INTO blobs (id, seq, data, created_at) VALUES (?, 1, ?, ?)').bind(
      id,
      'true}',
      ms,
    ),
  ])
  return { id, ref: `blob:${id}` }
}

type Seed = { createdAt: number; finishedAt: number | null; steps: number }

/** A run as the Engine leaves it, every payload (input, output, step input and output) a blob. */
async function seedRun(workflowId: string, seed: Seed) {
  const id = idAt(seed.createdAt)
  const blobs = [await blobAt(seed.createdAt)]
  const finished = seed.finishedAt !== null
  if (finished) blobs.push(await blobAt(seed.finishedAt!))
  await env.DB.prepare(
    `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, input, output, created_at,
       started_at, finished_at, wake_at)
     VALUES (?1, ?2, 1, ?3, '{"type":"manual"}', ?4, ?5, ?6, ?6, ?7, ?6)`,
  )
    .bind(
      id,
      workflowId,
      finished ? 'succeeded' : 'running',
      blobs[0]!.ref,
      finished ? blobs[1]!.ref : null,
      seed.createdAt,
      seed.finishedAt,
    )
    .run()
  for (let index = 0; index < seed.steps; index++) {
    const at = seed.createdAt + index
    const [input, output] = [await blobAt(at), await blobAt(at)]
    blobs.push(input, output)
    await env.DB.prepare(
      `INSERT INTO steps (run_id, step_index, node_id, node_type, status, input, output, attempts)
       VALUES (?, ?, ?, 'transform', 'succeeded', ?, ?, 1)`,
    )
      .bind(id, index, `n${index}`, input.ref, output.ref)
      .run()
  }
  return { id, blobIds: blobs.map((b) => b.id) }
}

async function stored(run: { id: string; blobIds: string[] }) {
  const [runs, steps, blobs] = await env.DB.batch<{ n: number }>([
    env.DB.prepare('SELECT count(*) AS n FROM runs WHERE id = ?').bind(run.id),
    env.DB.prepare('SELECT count(*) AS n FROM steps WHERE run_id = ?').bind(run.id),
    env.DB.prepare(
      `SELECT count(DISTINCT id) AS n FROM blobs WHERE id IN (${run.blobIds.map(() => '?').join(', ')})`,
    ).bind(...run.blobIds),
  ])
  return { run: runs!.results[0]!.n, steps: steps!.results[0]!.n, blobs: blobs!.results[0]!.n }
}

async function pruneUntilDone(
  settings: typeof RETAIN_30,
  limits?: Parameters<typeof pruneRuns>[2],
) {
  for (let i = 0; i < 100; i++) {
    const pruned = await pruneRuns(settings, Date.now(), limits)
    if (pruned.runs === 0 && pruned.orphans === 0) return
  }
  throw new Error('pruning did not finish in 100 calls')
}

describe('retention', () => {
  it('deletes a run finished over RETENTION_DAYS ago with its steps and blobs; its id then says so', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    const old = await seedRun(workflowId, {
      createdAt: now - 40 * DAY_MS,
      finishedAt: now - 31 * DAY_MS,
      steps: 2,
    })
    const kept = await seedRun(workflowId, {
      createdAt: now - 40 * DAY_MS,
      finishedAt: now - 29 * DAY_MS,
      steps: 1,
    })
    expect(await stored(old)).toEqual({ run: 1, steps: 2, blobs: 6 })

    expect(await pruneRuns(RETAIN_30)).toMatchObject({ runs: 1, blobs: 6 })
    expect(await stored(old)).toEqual({ run: 0, steps: 0, blobs: 0 })
    expect(await stored(kept)).toEqual({ run: 1, steps: 1, blobs: 4 })

    const response = await admin(`/api/runs/${old.id}`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: `Run ${old.id} was not found: it is more than 30 days old, and finished runs are deleted 30 days after they finish (RETENTION_DAYS)`,
        details: { retentionDays: 30 },
      },
    })
    const unknown = await admin(`/api/runs/${idAt(now)}`)
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^Run \S+ was not found$/,
    )
  })

  it('keeps everything with RETENTION_DAYS=0', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    const run = await seedRun(workflowId, {
      createdAt: now - 400 * DAY_MS,
      finishedAt: now - 399 * DAY_MS,
      steps: 1,
    })
    expect(await pruneRuns({ DB: env.DB, RETENTION_DAYS: '0' })).toEqual({
      runs: 0,
      blobs: 0,
      orphans: 0,
    })
    expect(await stored(run)).toEqual({ run: 1, steps: 1, blobs: 4 })
    await pruneUntilDone(RETAIN_30)
  })

  it('works in bounded rounds, and removes orphan blobs once the old runs are gone', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    for (let i = 0; i < 5; i++)
      await seedRun(workflowId, {
        createdAt: now - 50 * DAY_MS + i,
        finishedAt: now - 49 * DAY_MS,
        steps: 1,
      })
    // A payload stored for a run whose queue send then failed: nothing refers to it.
    const orphan = await blobAt(now - 45 * DAY_MS)
    const limits = { runsPerRound: 2, rounds: 2, orphansPerRound: 10 }

    expect(await pruneRuns(RETAIN_30, now, limits)).toEqual({ runs: 4, blobs: 16, orphans: 0 })
    expect(await stored({ id: '-', blobIds: [orphan.id] })).toMatchObject({ blobs: 1 })
    expect(await pruneRuns(RETAIN_30, now, limits)).toEqual({ runs: 1, blobs: 4, orphans: 1 })
    expect(await stored({ id: '-', blobIds: [orphan.id] })).toMatchObject({ blobs: 0 })
  })

  it('never touches an unfinished run, however old, nor a run finished within the period', async () => {
    const now = Date.now()
    const seed = fc.record({
      ageDays: fc.integer({ min: 0, max: 90 }),
      // null: still queued or running (or waiting), at any age.
      finishedAfterDays: fc.option(fc.integer({ min: 0, max: 90 }), { nil: null }),
      steps: fc.integer({ min: 0, max: 3 }),
    })
    await fc.assert(
      fc.asyncProperty(fc.array(seed, { minLength: 1, maxLength: 8 }), async (seeds) => {
        const workflowId = await storeWorkflow({
          nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
        })
        const runs = await Promise.all(
          seeds.map(async (s) => {
            const createdAt = now - s.ageDays * DAY_MS - 1000
            const finishedAt =
              s.finishedAfterDays === null
                ? null
                : Math.min(createdAt + s.finishedAfterDays * DAY_MS, now - 1000)
            return {
              seed: s,
              finishedAt,
              run: await seedRun(workflowId, { createdAt, finishedAt, steps: s.steps }),
            }
          }),
        )
        await pruneUntilDone(RETAIN_30, { runsPerRound: 3, rounds: 2, orphansPerRound: 5 })
        for (const { seed, finishedAt, run } of runs) {
          const left = await stored(run)
          const expired = finishedAt !== null && finishedAt < now - 30 * DAY_MS
          const whole = { run: 1, steps: seed.steps, blobs: run.blobIds.length }
          expect(left).toEqual(expired ? { run: 0, steps: 0, blobs: 0 } : whole)
        }
      }),
      { numRuns: 25 },
    )
  })

  it('runs from the cron with RETENTION_DAYS from wrangler.toml', async () => {
    expect(env.RETENTION_DAYS).toBe('30')
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const now = Date.now()
    const old = await seedRun(workflowId, {
      createdAt: now - 32 * DAY_MS,
      finishedAt: now - 31 * DAY_MS,
      steps: 1,
    })
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(await stored(old)).toEqual({ run: 0, steps: 0, blobs: 0 })
  })
})
