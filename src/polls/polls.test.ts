import {
  createExecutionContext,
  createScheduledController,
  env,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../../test/admin-session'
import { createCredential } from '../../test/credentials'
import { admin, createWorkflow, fakeUpstream, postWebhook, waitForRun } from '../../test/helpers'
import type { Env } from '../env'
import { FAILURES_BEFORE_INBOX } from './backoff'
import { fireDuePolls, pollNow } from './fire-polls'
import type { PollReport } from './poll-workflow'

// Poll triggers end to end against fake upstreams whose data changes between polls: the poll
// goes through the API (POST /api/workflows/:id/poll) or the Worker's cron handler, and the
// runs are read from D1.

type Order = { id: number; customer: string }

const orders = (...ids: number[]): Order[] => ids.map((id) => ({ id, customer: `c${id % 3}` }))

/** A fake orders API answering `list` at /orders, as `{ data: { orders } }`. */
async function ordersApi() {
  const api = fakeUpstream()
  const serve = (list: Order[], status = 200) =>
    api.program([
      {
        method: 'GET',
        path: '/orders',
        responses: [
          { status, body: status < 400 ? { data: { orders: list } } : { error: 'down' } },
        ],
      },
    ])
  await serve([])
  return { api, serve }
}

function polled(url: string, extra: Record<string, unknown> = {}, config = {}) {
  return {
    name: 'new orders',
    trigger: {
      type: 'poll',
      source: 'http-poll',
      every: '5m',
      config: { url, items: 'data.orders', id: 'id', ...config },
      ...extra,
    },
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
  }
}

async function poll(workflowId: string) {
  const response = await admin(`/api/workflows/${workflowId}/poll`, { method: 'POST' })
  const body = (await response.json()) as PollReport & { error?: { code: string; message: string } }
  return { status: response.status, body }
}

async function runsOf(workflowId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, status, trigger, input, error FROM runs WHERE workflow_id = ? ORDER BY id',
  )
    .bind(workflowId)
    .all<{ id: string; status: string; trigger: string; input: string; error: string | null }>()
  return results.map((r) => ({
    ...r,
    trigger: JSON.parse(r.trigger) as { type: string; itemId?: string; dedupeKey?: string },
  }))
}

const itemIds = async (workflowId: string) =>
  (await runsOf(workflowId)).filter((r) => r.status !== 'failed').map((r) => r.trigger.itemId)

async function state(workflowId: string) {
  const response = await admin(`/api/workflows/${workflowId}/poll`)
  return (await response.json()) as {
    cursor: unknown
    baselineTaken: boolean
    failures: number
    nextPollAt: string
    lastPollAt: string | null
    lastFound: number | null
    lastError: { message: string } | null
    inboxRunId: string | null
  }
}

describe('poll triggers: http-poll', () => {
  it('takes a baseline, then starts one run per new item with the item as input, once', async () => {
    const { api, serve } = await ordersApi()
    await serve(orders(1, 2))
    const workflow = await createWorkflow(polled(api.url('/orders')))

    const baseline = await poll(workflow.id)
    expect(baseline.status).toBe(200)
    expect(baseline.body).toMatchObject({ baseline: true, found: 0, started: [], recorded: true })
    expect(await runsOf(workflow.id)).toEqual([])

    await serve(orders(1, 2, 3, 4, 5))
    const second = await poll(workflow.id)
    expect(second.body).toMatchObject({ baseline: false, found: 3, left: 0, recorded: true })
    expect(second.body.started.map((s) => s.itemId)).toEqual(['3', '4', '5'])
    const runs = await runsOf(workflow.id)
    expect(runs.map((r) => r.trigger)).toEqual(
      ['3', '4', '5'].map((itemId) => ({
        type: 'poll',
        receivedAt: expect.any(Number),
        source: 'http-poll',
        itemId,
        dedupeKey: `poll:http-poll:${itemId}`,
      })),
    )
    const first = await waitForRun(second.body.started[0]!.runId)
    expect(first.status).toBe('succeeded')
    expect(first.output).toEqual({ id: 3, customer: 'c0' })

    // The same items again: nothing new.
    const third = await poll(workflow.id)
    expect(third.body).toMatchObject({ found: 0, started: [] })
    // A polled workflow has no webhook.
    expect((await postWebhook(workflow, { id: 6 })).status).toBe(404)
    expect(await itemIds(workflow.id)).toEqual(['3', '4', '5'])
    // Every poll asked the API the same way.
    const { requests } = await api.received()
    expect(requests.map((r) => [r.method, r.path, r.headers.accept])).toEqual(
      Array(3).fill(['GET', '/orders', 'application/json']),
    )
  })

  it('starts what is already there on the first poll under processExisting', async () => {
    const { api, serve } = await ordersApi()
    await serve(orders(7, 8))
    const workflow = await createWorkflow(polled(api.url('/orders'), { processExisting: true }))
    const first = await poll(workflow.id)
    expect(first.body).toMatchObject({ baseline: true, found: 2 })
    expect(await itemIds(workflow.id)).toEqual(['7', '8'])
  })

  it('starts at most maxItems per poll, oldest first, and the rest on the next polls', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders'), { maxItems: 2 }))
    await poll(workflow.id)
    // Newest first, as many APIs list them: the trigger is told so.
    await serve(orders(5, 4, 3, 2, 1))
    await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: { ...polled(api.url('/orders'), { maxItems: 2 }), name: 'renamed' },
    })
    // Only the nodes changed (and the name): the cursor stays.
    expect((await state(workflow.id)).baselineTaken).toBe(true)
    const reordered = await createWorkflow(
      polled(api.url('/orders'), { maxItems: 2 }, { order: 'newest-first' }),
    )
    await serve([])
    await poll(reordered.id)
    await serve(orders(5, 4, 3, 2, 1))
    const reports = [await poll(reordered.id), await poll(reordered.id), await poll(reordered.id)]
    expect(reports.map((r) => [r.body.found, r.body.started.length, r.body.left])).toEqual([
      [5, 2, 3],
      [3, 2, 1],
      [1, 1, 0],
    ])
    expect(await itemIds(reordered.id)).toEqual(['1', '2', '3', '4', '5'])
    expect((await poll(reordered.id)).body.found).toBe(0)
  })

  it('sends the cursor parameter from the last item started', async () => {
    const { api } = await ordersApi()
    const workflow = await createWorkflow(
      polled(api.url('/orders'), { maxItems: 2 }, { cursor: { param: 'since_id', from: 'id' } }),
    )
    const serveAfter = (ids: number[]) =>
      api.program([
        {
          method: 'GET',
          path: '/orders',
          responses: [{ body: { data: { orders: orders(...ids) } } }],
        },
      ])
    await serveAfter([10, 11])
    await poll(workflow.id)
    await serveAfter([12, 13, 14])
    await poll(workflow.id)
    await serveAfter([14])
    await poll(workflow.id)
    const { requests } = await api.received()
    expect(requests.map((r) => r.query)).toEqual([{}, { since_id: '11' }, { since_id: '13' }])
    expect(await itemIds(workflow.id)).toEqual(['12', '13', '14'])
  })

  it('records a new baseline when the trigger changes, and on Reset baseline', async () => {
    const { api, serve } = await ordersApi()
    await serve(orders(1))
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    await serve(orders(1, 2))
    // A new config: the items there now are the new baseline.
    await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: polled(api.url('/orders'), {}, { query: { status: 'open' } }),
    })
    expect((await state(workflow.id)).baselineTaken).toBe(false)
    expect((await poll(workflow.id)).body).toMatchObject({ baseline: true, started: [] })
    await serve(orders(1, 2, 3))
    const reset = await admin(`/api/workflows/${workflow.id}/poll/reset`, { method: 'POST' })
    expect(reset.status).toBe(200)
    expect((await poll(workflow.id)).body).toMatchObject({ baseline: true, started: [] })
    expect(await runsOf(workflow.id)).toEqual([])
  })

  it('never starts an item twice: its dedupe key holds even when the cursor goes back', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    const before = (await state(workflow.id)).cursor
    await serve(orders(1, 2))
    await poll(workflow.id)
    await env.DB.prepare('UPDATE poll_state SET cursor = ? WHERE workflow_id = ?')
      .bind(JSON.stringify(before), workflow.id)
      .run()
    await serve(orders(1, 2, 3))
    const again = await poll(workflow.id)
    expect(again.body.started.map((s) => s.itemId)).toEqual(['3'])
    expect(again.body.alreadyStarted).toEqual(['1', '2'])
    expect(await itemIds(workflow.id)).toEqual(['1', '2', '3'])
  })

  it('starts each item once when two polls overlap', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    await serve(orders(1, 2, 3))
    const reports = await Promise.all([poll(workflow.id), poll(workflow.id), poll(workflow.id)])
    expect(reports.filter((r) => r.body.recorded)).not.toHaveLength(0)
    expect(await itemIds(workflow.id)).toEqual(['1', '2', '3'])
  })

  it('loses no item and starts none twice when it dies at any D1 call of a poll', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    const all: number[] = []
    // A poll makes a handful of D1 calls: read the row, the batch, and on a failure its count.
    for (let dieAt = 1; dieAt <= 4; dieAt++) {
      all.push(dieAt * 10, dieAt * 10 + 1)
      await serve(orders(...all))
      await pollNow(dyingEnv(dieAt), workflow.id).catch(() => undefined)
      // The next poll (a later tick) finds what the dead one did not record.
      await pollNow(env as Env, workflow.id)
      expect(await itemIds(workflow.id)).toEqual(all.map(String))
    }
    // Dead after the batch, before the queue took the messages: the runs are in D1, queued, for
    // the sweeper; the next poll starts none of them again.
    all.push(50)
    await serve(orders(...all))
    const lostQueue = {
      ...(env as Env),
      RUNS: {
        send: () => Promise.reject(new Error('died')),
        sendBatch: () => Promise.reject(new Error('died')),
      },
    } as unknown as Env
    await expect(pollNow(lostQueue, workflow.id)).rejects.toThrow('died')
    expect((await pollNow(env as Env, workflow.id)).found).toBe(0)
    const runs = await runsOf(workflow.id)
    expect(runs.map((r) => r.trigger.itemId)).toEqual(all.map(String))
    expect(runs.at(-1)!.status).toBe('queued')
  })

  it('loses no item and starts none twice when the cron tick dies at any D1 call', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    // The tick's clock: only this workflow's poll is due at it (others are due at their save).
    const at = 1_000
    const due = () =>
      env.DB.prepare('UPDATE poll_state SET next_poll_at = ? WHERE workflow_id = ?')
        .bind(at, workflow.id)
        .run()
    const all: number[] = []
    // A tick: the due polls (all), taking one (first), then the poll's batch.
    for (let dieAt = 1; dieAt <= 4; dieAt++) {
      all.push(dieAt * 10)
      await serve(orders(...all))
      await due()
      await fireDuePolls(dyingEnv(dieAt), at).catch(() => undefined)
      // A tick that died holding the poll leaves it taken for a while; the next one comes later.
      await due()
      expect((await fireDuePolls(env as Env, at)).polls).toBe(1)
      expect(await itemIds(workflow.id)).toEqual(all.map(String))
    }
  })

  it('backs off when the source fails, and puts the streak in the inbox once', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    await poll(workflow.id)
    await serve([], 503)
    const waits: number[] = []
    for (let i = 1; i <= FAILURES_BEFORE_INBOX + 1; i++) {
      const failed = await poll(workflow.id)
      expect(failed.status).toBe(502)
      expect(failed.body.error).toMatchObject({ code: 'HTTP_ERROR' })
      const now = await state(workflow.id)
      expect(now.failures).toBe(i)
      expect(now.lastError!.message).toMatch(/503/)
      waits.push(Date.parse(now.nextPollAt) - Date.parse(now.lastPollAt!))
    }
    // Each failure doubles the wait: 10, 20, 40, 60 minutes (at most an hour).
    expect(waits).toEqual([10, 20, 40, 60].map((m) => m * 60_000))
    const inbox = (await runsOf(workflow.id)).filter((r) => r.status === 'failed')
    expect(inbox).toHaveLength(1)
    expect(JSON.parse(inbox[0]!.error!)).toMatchObject({
      code: 'HTTP_ERROR',
      message: expect.stringMatching(/^Polling http-poll failed 3 times in a row: HTTP 503/),
    })
    expect((await state(workflow.id)).inboxRunId).toBe(inbox[0]!.id)
    const inboxPage = await (await signedIn()).page('/admin/inbox')
    expect(inboxPage.html).toContain(inbox[0]!.id)
    expect(inboxPage.html).toContain('Polling http-poll failed 3 times in a row')

    // Back up: the streak ends, and the items wait no longer.
    await serve(orders(1))
    expect((await poll(workflow.id)).body.started).toHaveLength(1)
    expect(await state(workflow.id)).toMatchObject({ failures: 0, inboxRunId: null })
  })

  it('sends a credential only under its baseUrl, as http-request does', async () => {
    const api = fakeUpstream()
    const other = fakeUpstream()
    const credential = await createCredential(
      'http-bearer',
      { token: 'poll-secret-token' },
      {
        baseUrl: api.url('/v1'),
      },
    )
    await api.program([
      { method: 'GET', path: '/v1/orders', responses: [{ body: { data: { orders: [] } } }] },
    ])
    const ok = await createWorkflow(polled('/orders', {}, { credential }))
    expect((await poll(ok.id)).status).toBe(200)
    const [sent] = (await api.received()).requests
    expect(sent).toMatchObject({ path: '/v1/orders' })
    expect(sent!.headers.authorization).toBe('Bearer poll-secret-token')

    const elsewhere = await createWorkflow(polled(other.url('/orders'), {}, { credential }))
    const refused = await poll(elsewhere.id)
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.body.error).toMatchObject({ code: 'CREDENTIAL_ORIGIN' })
    expect((await other.received()).requests).toEqual([])
  })

  it('never stores, shows or answers the credential an API quotes back in its error', async () => {
    const api = fakeUpstream()
    const token = `poll-secret-${crypto.randomUUID()}`
    const credential = await createCredential('http-bearer', { token }, { baseUrl: api.base })
    const workflow = await createWorkflow(
      polled('/__echo-auth?status=401&filler=10', {}, { credential }),
    )
    const texts: string[] = []
    for (let i = 0; i < FAILURES_BEFORE_INBOX; i++) {
      const failed = await poll(workflow.id)
      expect(failed.status).toBe(502)
      texts.push(JSON.stringify(failed.body))
    }
    // It did reach the API, which quoted it.
    expect((await api.received()).requests[0]!.headers.authorization).toBe(`Bearer ${token}`)
    texts.push(JSON.stringify(await state(workflow.id)))
    texts.push(JSON.stringify(await runsOf(workflow.id)))
    const { results } = await env.DB.prepare('SELECT * FROM poll_state WHERE workflow_id = ?')
      .bind(workflow.id)
      .all()
    texts.push(JSON.stringify(results))
    expect(texts.join('\n')).toContain('401')
    expect(texts.join('\n')).not.toContain(token)
  })

  it('refuses an interval under a minute, an unknown source and a bad config, naming the field', async () => {
    const cases = [
      [{ every: '30s' }, 'trigger.every', /1m, 5m/],
      [{ every: '0m' }, 'trigger.every', /at least 1m/],
      [{ source: 'ftp-poll' }, 'trigger.source', /unknown polling trigger 'ftp-poll'/],
      [{ config: { url: 'https://x.test', items: 'data.(' } }, 'trigger.config.items', /JSONata/],
      [{ config: { items: 'a', id: 'id' } }, 'trigger.config.url', /./],
    ] as const
    for (const [change, path, message] of cases) {
      const definition = polled('https://api.example.com/orders')
      const response = await admin('/api/workflows', {
        method: 'POST',
        json: { ...definition, trigger: { ...definition.trigger, ...change } },
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as {
        error: { details: { path: string; message: string }[] }
      }
      expect(body.error.details).toContainEqual({ path, message: expect.stringMatching(message) })
    }
  })

  it('refuses a stored credential of a type the source does not take, naming the field', async () => {
    const notion = await createCredential('notion', { token: 'ntn_wrong_kind' })
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: polled('https://api.example.com/orders', {}, { credential: notion }),
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { details: unknown[] } }
    expect(body.error.details).toEqual([
      {
        path: 'trigger.config.credential',
        message: `credential ${notion} is a notion credential; http-poll accepts http-bearer or http-basic or http-header or http-query or http-oauth2-client`,
      },
    ])
  })

  it('answers 409 for a workflow without an active poll trigger', async () => {
    const hook = await createWorkflow({
      name: 'hook',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const { status, body } = await poll(hook.id)
    expect(status).toBe(409)
    expect(body.error!.code).toBe('POLL_NOT_ACTIVE')
    expect((await admin('/api/workflows/wf_missing/poll', { method: 'POST' })).status).toBe(404)
  })

  it('is polled by the Worker cron handler when its time has come, and not before', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders'), { every: '1m' }))
    const tick = async () => {
      const worker = (await import('../index')).default
      const ctx = createExecutionContext()
      await worker.scheduled(createScheduledController(), env as Env, ctx)
      await waitOnExecutionContext(ctx)
    }
    await tick()
    expect((await state(workflow.id)).baselineTaken).toBe(true)
    await serve(orders(1, 2))
    // Not due yet: the next poll is a minute away.
    await tick()
    expect(await runsOf(workflow.id)).toEqual([])
    await env.DB.prepare('UPDATE poll_state SET next_poll_at = ? WHERE workflow_id = ?')
      .bind(Date.now() - 1, workflow.id)
      .run()
    await tick()
    expect(await itemIds(workflow.id)).toEqual(['1', '2'])
    const after = await state(workflow.id)
    expect(after.lastFound).toBe(2)
    expect(Date.parse(after.nextPollAt) - Date.parse(after.lastPollAt!)).toBe(60_000)
  })
})

describe('admin workflow page: Polling', () => {
  it('shows cursor, last poll, items found and next poll, and polls or resets through the API', async () => {
    const { api, serve } = await ordersApi()
    const workflow = await createWorkflow(polled(api.url('/orders')))
    const session = await signedIn()
    const path = `/admin/workflows/${workflow.id}`
    const before = await session.page(path)
    expect(before.html).toContain('<h2>Polling</h2>')
    expect(before.html).toContain('no baseline yet')
    expect(before.html).toContain(`action="${path}/poll"`)
    expect(before.html).toContain(`action="${path}/poll/reset"`)

    const baseline = await session.post(`${path}/poll`)
    expect(baseline.status).toBe(303)
    expect(baseline.location).toBe(`${path}?done=polled-baseline&found=0&started=0#poll`)
    await serve(orders(1, 2))
    const polledNow = await session.post(`${path}/poll`)
    expect(polledNow.location).toBe(`${path}?done=polled&found=2&started=2#poll`)
    const after = await session.page(`${path}?done=polled&found=2&started=2`)
    expect(after.html).toContain('Polled: 2 new items, 2 runs started.')
    expect(after.html).toContain('2 new, 2 started')
    expect(after.html).toContain('&quot;seen&quot;:[&quot;1&quot;,&quot;2&quot;]')

    const reset = await session.post(`${path}/poll/reset`)
    expect(reset.location).toBe(`${path}?done=baseline-reset#poll`)
    expect((await session.page(path)).html).toContain('no baseline yet')

    // Without the form token nothing is polled.
    expect((await session.post(`${path}/poll`, { _csrf: '0' })).status).toBe(403)
  })
})

/**
 * The Worker's env with a D1 that fails its `dieAt`-th call (a batch, or one statement's first,
 * run or all), as if the isolate died there; every other call goes through.
 */
function dyingEnv(dieAt: number): Env {
  let calls = 0
  const die = () => {
    calls += 1
    if (calls === dieAt) throw new Error('the isolate died')
  }
  const statement = (inner: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(inner, {
      get(target, key) {
        if (key === 'bind') return (...values: unknown[]) => statement(target.bind(...values))
        if (key === 'first' || key === 'run' || key === 'all' || key === 'raw') {
          return async (...args: unknown[]) => {
            die()
            return (target[key] as (...a: unknown[]) => unknown).apply(target, args)
          }
        }
        const value = Reflect.get(target, key)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'batch')
        return async (statements: D1PreparedStatement[]) => {
          die()
          return target.batch(statements.map((s) => unwrap.get(s) ?? s))
        }
      if (key === 'prepare')
        return (sql: string) => {
          const inner = target.prepare(sql)
          const wrapped = statement(inner)
          unwrap.set(wrapped, inner)
          return wrapped
        }
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  const unwrap = new WeakMap<D1PreparedStatement, D1PreparedStatement>()
  return { ...(env as Env), DB: db }
}
