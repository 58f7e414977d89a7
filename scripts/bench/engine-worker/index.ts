import { Hono } from 'hono'
import type { RunMessage } from '../../../src/store/run-model'
import { runWorkflow } from '../../../src/engine/run-workflow'
import type { Env } from '../../../src/env'
import { handleError } from '../../../src/http/errors'
import { hooks } from '../../../src/http/hooks/hooks'
import { createWorkflow } from '../../../src/store/workflows'
import type { WorkflowDefinition } from '../../../src/workflow/definition'
import { countingD1, emptyCounts, type D1Counts } from './counting-d1'

type Job = { definition: WorkflowDefinition; payload: unknown; runs: number; warmup: number }
type Totals = D1Counts & { wallMs: number; queueSends: number; messageBytes: number }

// The production ingest route only: the admin routes are not under test here.
const ingest = new Hono<{ Bindings: Env }>().route('/hooks', hooks).onError(handleError)
const BUDGET = { steps: 1000, wallMs: 600_000 }

/**
 * POST a job: creates the workflow, then for each run sends the webhook through the real ingest
 * route and hands the queued message to the real Engine, each with its own counted D1.
 */
export default {
  async fetch(request: Request, env: { DB: D1Database; BENCH_ID: string }) {
    // GET answers the bench's id, so the bench knows this server is the one it started.
    if (request.method !== 'POST') return new Response(env.BENCH_ID)
    const job = (await request.json()) as Job
    const workflow = await createWorkflow(env.DB, job.definition)
    const hookUrl = `http://bench.local/hooks/${workflow.id}/${workflow.hookToken}`
    const body = JSON.stringify(job.payload)
    for (let i = 0; i < job.warmup; i++) await oneRun(env.DB, hookUrl, body, totals(), totals())
    const ingestTotals = totals()
    const engineTotals = totals()
    const statuses: Record<string, number> = {}
    for (let i = 0; i < job.runs; i++) {
      const runId = await oneRun(env.DB, hookUrl, body, ingestTotals, engineTotals)
      const row = await env.DB.prepare('SELECT status FROM runs WHERE id = ?').bind(runId).first()
      const status = String(row?.status)
      statuses[status] = (statuses[status] ?? 0) + 1
    }
    return Response.json({
      runs: job.runs,
      statuses,
      ingest: ingestTotals,
      engine: engineTotals,
      clockResolutionMs: clockResolution(),
    })
  },
}

async function oneRun(db: D1Database, url: string, body: string, ingest: Totals, engine: Totals) {
  const queued: RunMessage[] = []
  const queue = {
    send: async (message: RunMessage) => {
      queued.push(message)
    },
  }
  const pending: Promise<unknown>[] = []
  const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException() {} }
  const env = { DB: countingD1(db, ingest), RUNS: queue } as unknown as Env

  let started = performance.now()
  const response = await ingestFetch(url, body, env, ctx)
  await Promise.all(pending)
  ingest.wallMs += performance.now() - started
  ingest.queueSends += queued.length
  if (response.status !== 202) throw new Error(`webhook answered ${response.status}`)

  const message = queued.pop()!
  ingest.messageBytes += JSON.stringify(message).length
  const engineQueue = {
    send: async () => {
      engine.queueSends += 1
    },
    sendBatch: async (messages: Iterable<unknown>) => {
      engine.queueSends += [...messages].length
    },
  }
  started = performance.now()
  await runWorkflow({ db: countingD1(db, engine), queue: engineQueue }, message, BUDGET)
  engine.wallMs += performance.now() - started
  return message.runId
}

function ingestFetch(url: string, body: string, env: Env, ctx: unknown) {
  const request = new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  return ingest.fetch(request, env, ctx as ExecutionContext)
}

function totals(): Totals {
  return { ...emptyCounts(), wallMs: 0, queueSends: 0, messageBytes: 0 }
}

/** The smallest step of the Worker's clock: every duration above is a multiple of it. */
function clockResolution() {
  const start = performance.now()
  let next = start
  // Bounded: a clock that only moves on I/O would never change inside this loop.
  for (let i = 0; i < 10_000_000 && next === start; i++) next = performance.now()
  return next - start
}
