import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { countingD1, emptyCounts } from '../../scripts/bench/engine-worker/counting-d1'
import { insertRun } from '../store/run-row'
import { deliver, fakeUpstream, getRun } from '../../test/helpers'
import { BIG_BUDGET, holdingQueue, startMessage, storeWorkflow } from '../../test/engine-fixtures'
import { runWorkflow } from './run-workflow'

const transform = (id: string, expression: string) => ({
  id,
  type: 'transform',
  config: { expression },
})
const post = (id: string, url: string) => ({
  id,
  type: 'http-request',
  config: { method: 'POST', url, sendIdempotencyKey: true },
})

/**
 * Runs a workflow once, counting the D1 calls of ingest's run row and of the engine. Rows
 * written: 3 at ingest (the run and its two index entries), 1 to claim, 1 per step, 1 to end.
 */
async function measure(nodes: Record<string, unknown>[], input: unknown = { n: 1 }) {
  const workflowId = await storeWorkflow({ nodes })
  const message = startMessage(workflowId, input)
  const ingest = emptyCounts()
  await insertRun(countingD1(env.DB, ingest), message.runId, message.start!, {
    status: 'queued',
  }).run()
  const engine = emptyCounts()
  const db = countingD1(env.DB, engine)
  await runWorkflow({ db, queue: holdingQueue().queue }, message, BIG_BUDGET)
  const run = await getRun(message.runId)
  return { run, engine, rowsWritten: ingest.rowsWritten + engine.rowsWritten }
}

describe('pure steps recorded together', () => {
  it('transform → transform → http-request takes 2 D1 round trips: the claim and one batch', async () => {
    const upstream = fakeUpstream()
    const { run, engine, rowsWritten } = await measure([
      transform('shape', '{ "n": n + 1 }'),
      transform('double', '{ "n": n * 2 }'),
      post('send', upstream.url('/send')),
    ])
    expect(run.status).toBe('succeeded')
    expect(engine.roundTrips).toBe(2)
    expect(rowsWritten).toBe(3 + 5)
    // Still one row per step, each with its own input, output and timings.
    expect(run.steps.map((s) => [s.nodeId, s.status, s.input])).toEqual([
      ['shape', 'succeeded', { n: 1 }],
      ['double', 'succeeded', { n: 2 }],
      ['send', 'succeeded', { n: 4 }],
    ])
    for (const step of run.steps as unknown as { startedAt: unknown }[]) {
      expect(typeof step.startedAt).toBe('string')
    }
    expect((await upstream.received()).requests.map((r) => r.body)).toEqual([{ n: 4 }])
  })

  it('costs (steps with effects) + 1 round trips, whatever the pure steps around them', async () => {
    const upstream = fakeUpstream()
    const { run, engine, rowsWritten } = await measure([
      post('first', upstream.url('/first')),
      transform('a', '{ "n": 1 }'),
      transform('b', '{ "n": n + 1 }'),
      post('second', upstream.url('/second')),
      transform('c', '{ "done": body.echo.n }'),
    ])
    expect(run.status).toBe('succeeded')
    expect(engine.roundTrips).toBe(2 + 1)
    expect(rowsWritten).toBe(5 + 5)
    expect(run.output).toEqual({ done: 2 })
  })

  it('set is pure too: set → http-request is the claim, the template context and one batch', async () => {
    const upstream = fakeUpstream()
    const { run, engine } = await measure([
      { id: 'shape', type: 'set', config: { fields: { m: '{{ input.n + 1 }}' } } },
      post('send', upstream.url('/send')),
    ])
    expect(run.status).toBe('succeeded')
    // The context (trigger, start time) is read once per message, by the first template.
    expect(engine.roundTrips).toBe(3)
    expect((await upstream.received()).requests.map((r) => r.body)).toEqual([{ m: 2 }])
  })

  it('a workflow of pure steps only is one batch after the claim, its end included', async () => {
    const nodes = Array.from({ length: 20 }, (_, i) => transform(`t${i}`, '{ "n": n + 1 }'))
    const { run, engine, rowsWritten } = await measure(nodes, { n: 0 })
    expect(run.output).toEqual({ n: 20 })
    expect(run.steps).toHaveLength(20)
    expect(engine.roundTrips).toBe(2)
    expect(rowsWritten).toBe(20 + 5)
  })

  it('a filter that ends the run sends its skipped steps and the run end in the same batch', async () => {
    const upstream = fakeUpstream()
    const { run, engine } = await measure([
      transform('shape', '{ "n": n }'),
      { id: 'only-big', type: 'filter', config: { condition: 'n > 100' } },
      post('send', upstream.url('/send')),
    ])
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'skipped'])
    expect(engine.roundTrips).toBe(2)
    expect((await upstream.received()).requests).toHaveLength(0)
  })

  it('records steps that read the clock or a random number before the next effect starts', async () => {
    const upstream = fakeUpstream()
    const { run, engine } = await measure([
      transform('stamp', '{ "at": $millis() }'),
      transform('roll', '{ "at": at, "dice": $random() }'),
      post('send', upstream.url('/send')),
    ])
    expect(run.status).toBe('succeeded')
    // The claim, the volatile steps (before the step with effects starts), and the end.
    expect(engine.roundTrips).toBe(3)
  })
})

/** What a consumer that died holding the run leaves behind, once its lease has run out. */
async function expireLease(runId: string) {
  await env.DB.prepare("UPDATE runs SET lease_id = 'dead-consumer', lease_until = ?2 WHERE id = ?1")
    .bind(runId, Date.now() - 1)
    .run()
}

/** env.DB for a consumer that dies as it is about to send its `dieAt`-th batch (1 = the claim). */
function dyingD1(dieAt: number) {
  let batches = 0
  return new Proxy(env.DB, {
    get(target, key) {
      if (key === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          batches += 1
          if (batches === dieAt) throw new Error('the consumer died')
          return target.batch(statements)
        }
      }
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

// A volatile pure step first (it must be recorded before the effect after it, or that effect
// would get another input on the second run), then effects with pure steps between and after.
const MIXED = (url: (path: string) => string) => [
  transform('token', '{ "order": order, "token": $random() }'),
  post('charge', url('/effect/charge')),
  transform('pick', '{ "order": body.echo.order, "token": body.echo.token }'),
  transform('wrap', '{ "order": order, "token": token, "step": "notify" }'),
  post('notify', url('/effect/notify')),
  transform('done', '{ "notified": status }'),
]
// The engine's batches for MIXED in one message: the claim, token (before charge starts),
// charge with pick and wrap (before notify starts), and notify with done and the run's end.
const BATCHES = 4

describe('a consumer that dies at any batch of a mixed pure/effectful run', () => {
  for (let dieAt = 2; dieAt <= BATCHES; dieAt++) {
    it(`dying before batch ${dieAt} of ${BATCHES}: each effect happens once, with the same input`, async () => {
      const upstream = fakeUpstream()
      const workflowId = await storeWorkflow({ nodes: MIXED(upstream.url) })
      const message = startMessage(workflowId, { order: 42 })

      const dying = { db: dyingD1(dieAt), queue: holdingQueue().queue }
      await expect(runWorkflow(dying, message, BIG_BUDGET)).rejects.toThrow('the consumer died')
      await expireLease(message.runId)
      const result = await deliver([message], { attempts: 2 })
      expect(result.explicitAcks).toHaveLength(1)

      const run = await getRun(message.runId)
      expect(run.status).toBe('succeeded')
      expect(run.steps.map((s) => s.status)).toEqual(MIXED(upstream.url).map(() => 'succeeded'))
      const { requests, effects } = await upstream.received()
      expect(effects.map((e) => e.path).sort()).toEqual(['/effect/charge', '/effect/notify'])
      // A repeated call (the dead consumer's, then the resumed run's) carried the same body.
      for (const path of ['/effect/charge', '/effect/notify']) {
        const bodies = requests.filter((r) => r.path === path).map((r) => JSON.stringify(r.body))
        expect(new Set(bodies).size).toBe(1)
      }
      const notify = run.steps.find((s) => s.nodeId === 'notify')!
      expect(JSON.stringify(requests.find((r) => r.path === '/effect/notify')!.body)).toBe(
        JSON.stringify(notify.input),
      )
    })
  }

  it('runs MIXED in exactly the batches the tests above die at', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({ nodes: MIXED(upstream.url) })
    const message = startMessage(workflowId, { order: 42 })
    const counts = emptyCounts()
    const deps = { db: countingD1(env.DB, counts), queue: holdingQueue().queue }
    await runWorkflow(deps, message, BIG_BUDGET)
    expect(counts.roundTrips).toBe(BATCHES)
    expect((await getRun(message.runId)).output).toEqual({ notified: 200 })
  })
})
