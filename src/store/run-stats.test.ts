import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { idAt } from '../../test/engine-fixtures'
import { estimateRunCost } from '../http/admin/lib/run-cost'
import { percent, usd } from '../http/admin/pages/dashboard-page'
import { overview, workflowActivity } from './run-stats'

const HOUR = 3_600_000
// Far past any run the other tests write: the id floor leaves those out of every figure here.
const NOW = Date.UTC(2031, 0, 15, 12, 30)
const THIS_HOUR = Date.UTC(2031, 0, 15, 12)

type Seed = { at: number; status: string; ms?: number; steps?: number; workflow?: string }

async function seed(runs: Seed[]) {
  const statements: D1PreparedStatement[] = []
  for (const run of runs) {
    const id = idAt(run.at)
    const finished = run.ms === undefined ? null : run.at + run.ms
    statements.push(
      env.DB.prepare(
        `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, created_at,
           started_at, finished_at, wake_at)
         VALUES (?1, ?2, 1, ?3, '{}', ?4, ?4, ?5, ?4)`,
      ).bind(id, run.workflow ?? 'wf_stats', run.status, run.at, finished),
    )
    for (let i = 0; i < (run.steps ?? 0); i++) {
      statements.push(
        env.DB.prepare(
          `INSERT INTO steps (run_id, step_index, node_id, node_type, status, attempts)
           VALUES (?, ?, ?, 'transform', 'succeeded', 1)`,
        ).bind(id, i, `n${i}`),
      )
    }
  }
  await env.DB.batch(statements)
}

describe('the dashboard figures', () => {
  it('counts runs per hour, the success rate, nearest-rank p50 and p95, and steps, over 24 whole hours', async () => {
    await seed([
      // Outside the window: the hour before the first of the 24.
      { at: THIS_HOUR - 24 * HOUR + 5, status: 'succeeded', ms: 1, steps: 9 },
      // 23 hours ago: the first bucket.
      { at: THIS_HOUR - 23 * HOUR, status: 'succeeded', ms: 100, steps: 2 },
      { at: THIS_HOUR - 23 * HOUR + 60_000, status: 'failed', ms: 200, steps: 1 },
      // 2 hours ago.
      { at: THIS_HOUR - 2 * HOUR + 10, status: 'completed_with_errors', ms: 300, steps: 3 },
      // This hour: 7 more finished runs and one still running.
      ...[400, 500, 600, 700, 800, 900, 5000].map((ms, i) => ({
        at: THIS_HOUR + i * 1000,
        status: 'succeeded',
        ms,
        steps: 1,
      })),
      { at: THIS_HOUR + 60_000, status: 'running', steps: 1 },
    ])

    const figures = await overview(env.DB, NOW)
    expect(figures.hours).toHaveLength(24)
    expect(figures.hours[0]).toEqual({
      start: THIS_HOUR - 23 * HOUR,
      runs: 2,
      succeeded: 1,
      failed: 1,
    })
    expect(figures.hours[21]).toEqual({
      start: THIS_HOUR - 2 * HOUR,
      runs: 1,
      succeeded: 0,
      failed: 1,
    })
    expect(figures.hours[23]).toEqual({ start: THIS_HOUR, runs: 8, succeeded: 7, failed: 0 })
    expect(figures.hours.filter((h) => h.runs > 0)).toHaveLength(3)
    expect(figures).toMatchObject({ runs: 11, succeeded: 8, finished: 10, steps: 14 })
    // Ten finished durations 100…900 and 5000: the 5th and the 10th by nearest rank.
    expect(figures.p50Ms).toBe(500)
    expect(figures.p95Ms).toBe(5000)
    // What the page shows for them.
    expect(percent(figures.succeeded, figures.finished)).toBe('80%')
    expect(percent(0, 0)).toBe('—')
    expect(percent(1, 3)).toBe('33%')
    expect(percent(1, 1000)).toBe('0.1%')
  })

  it('has no durations and no cost when nothing ran', async () => {
    const figures = await overview(env.DB, Date.UTC(2032, 5, 1))
    expect(figures).toMatchObject({ runs: 0, finished: 0, steps: 0, p50Ms: null, p95Ms: null })
    expect(usd(estimateRunCost(figures.runs, figures.steps).usd)).toBe('$0.00')
  })

  it('prices runs and steps by the usage model at list prices', () => {
    const one = estimateRunCost(1_000_000, 5_000_000)
    // Linear in runs and steps: a million 5-step runs cost ten times 100,000 of them.
    expect(one.usd).toBeCloseTo(estimateRunCost(100_000, 500_000).usd * 10, 9)
    expect(one.usd).toBeCloseTo(
      Object.values(one.lines).reduce((a, b) => a + b, 0),
      9,
    )
    expect(one.usd).toBeGreaterThan(1)
    expect(usd(0.004)).toBe('$0.0040')
    expect(usd(12.345)).toBe('$12.35')
  })

  it('gives each workflow its latest run and its counts since a time', async () => {
    const since = Date.UTC(2033, 0, 1)
    await seed([
      { at: since - HOUR, status: 'failed', ms: 5, workflow: 'wf_act_a' },
      { at: since + 1000, status: 'succeeded', ms: 5, workflow: 'wf_act_a' },
      { at: since + 2000, status: 'failed', ms: 5, workflow: 'wf_act_a' },
      { at: since + 3000, status: 'running', workflow: 'wf_act_a' },
    ])
    const activity = (await workflowActivity(env.DB, since)).get('wf_act_a')
    // Runs are counted by workflow id alone; the latest run needs a workflows row, not seeded here.
    expect(activity).toMatchObject({ runs: 3, succeeded: 1, finished: 2 })
  })
})
