import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  DEAD_LETTER_QUEUE,
  admin,
  createWorkflow,
  deliver,
  fakeUpstream,
  getRun,
  postWebhook,
  waitForAccepted,
  waitForRun,
  type RunView,
} from '../../../test/helpers'
import { holdingQueue, seedRun, startMessage, storeWorkflow } from '../../../test/engine-fixtures'
import { runWorkflow } from '../../engine/run-workflow'
import { listInbox } from '../../store/inbox'
import { DAY_MS, pruneRuns } from '../../store/prune-runs'

type Started = { runId: string; statusUrl: string }

async function post(path: string) {
  const response = await admin(path, { method: 'POST' })
  return { response, body: (await response.json()) as any }
}

/** Starts a copy (replay or resume), checks the 202 answer, and waits for the new run. */
async function startAndWait(path: string): Promise<RunView> {
  const { response, body } = await post(path)
  expect(response.status, JSON.stringify(body)).toBe(202)
  const started = body as Started
  expect(started.statusUrl).toBe(`http://automateos.test/api/runs/${started.runId}`)
  expect(response.headers.get('location')).toBe(started.statusUrl)
  return waitForRun(started.runId)
}

async function startByHand(workflowId: string, input: unknown) {
  return waitForAccepted(
    await admin(`/api/workflows/${workflowId}/runs`, { method: 'POST', json: input }),
  )
}

/** An order is looked up, charged (the card is declined once), and the team told. */
async function orderWorkflow() {
  const upstream = fakeUpstream()
  await upstream.program([
    { method: 'GET', path: '/orders/7', responses: [{ body: { id: 7, total: 120 } }] },
    {
      method: 'POST',
      path: '/charge',
      responses: [{ status: 402, body: { error: 'card declined' } }, { body: { charged: true } }],
    },
  ])
  const workflow = await createWorkflow({
    name: 'charge an order',
    nodes: [
      {
        id: 'order',
        type: 'http-request',
        config: { method: 'GET', url: upstream.url('/orders/{{ input.orderId }}') },
      },
      {
        id: 'amount',
        type: 'transform',
        config: { expression: '{ "cents": body.total * 100 }' },
      },
      {
        id: 'charge',
        type: 'http-request',
        config: {
          method: 'POST',
          url: upstream.url('/charge'),
          body: { order: '{{ steps.order.output.body.id }}', cents: '{{ input.cents }}' },
        },
      },
      {
        id: 'notify',
        type: 'http-request',
        config: {
          method: 'POST',
          url: upstream.url('/notify'),
          body: {
            text: 'Order {{ steps.order.output.body.id }}: {{ steps.amount.output.cents }} cents',
            charged: '{{ steps.charge.output.body.charged }}',
          },
        },
      },
    ],
  })
  return { upstream, workflow }
}

const calls = async (upstream: ReturnType<typeof fakeUpstream>) =>
  (await upstream.received()).requests.map((r) => ({
    method: r.method,
    path: r.path,
    body: r.body,
  }))

describe('POST /api/runs/:id/resume', () => {
  it('continues from the failed step: earlier nodes are not called, their outputs are reused', async () => {
    const { upstream, workflow } = await orderWorkflow()
    const failed = await startByHand(workflow.id, { orderId: 7 })
    expect(failed.status).toBe('failed')
    expect(failed.steps.map((s) => s.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'skipped',
    ])
    const before = await calls(upstream)
    expect(before.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /orders/7', 'POST /charge'])

    const resumed = await startAndWait(`/api/runs/${failed.id}/resume`)
    expect(resumed.status).toBe('succeeded')
    expect(resumed.id).not.toBe(failed.id)
    expect(resumed.resumedFrom).toBe(failed.id)
    expect(resumed.replayOf).toBeNull()
    expect(resumed.workflowVersion).toBe(failed.workflowVersion)
    expect(resumed.input).toEqual({ orderId: 7 })
    expect(resumed.trigger).toEqual(failed.trigger)

    // Exactly the failed node and the one after it were called again: no GET /orders/7.
    expect((await calls(upstream)).slice(before.length)).toEqual([
      { method: 'POST', path: '/charge', body: { order: 7, cents: 12000 } },
      {
        method: 'POST',
        path: '/notify',
        body: { text: 'Order 7: 12000 cents', charged: true },
      },
    ])
    // The reused steps are the old run's records, marked; the others ran in this run.
    expect(resumed.steps.map((s) => [s.nodeId, s.status, s.reusedFrom])).toEqual([
      ['order', 'succeeded', failed.id],
      ['amount', 'succeeded', failed.id],
      ['charge', 'succeeded', null],
      ['notify', 'succeeded', null],
    ])
    for (const index of [0, 1]) {
      const { reusedFrom: _, ...copy } = resumed.steps[index] as RunView['steps'][number] & {
        reusedFrom: unknown
      }
      const { reusedFrom: none, ...original } = failed.steps[index] as typeof copy & {
        reusedFrom: unknown
      }
      expect(none).toBeNull()
      expect(copy).toEqual(original)
    }
    // The old run is as it was, and names the run that resumed it.
    expect(failed.resumedBy).toBeNull()
    expect(failed.copies).toEqual([])
    expect(await getRun(failed.id)).toEqual({
      ...failed,
      resumedBy: resumed.id,
      copies: [
        { id: resumed.id, kind: 'resume', status: 'succeeded', createdAt: resumed.createdAt },
      ],
    })
  })

  it('resumes a run once: a second resume answers 409 naming the first, a replay still runs', async () => {
    const { upstream, workflow } = await orderWorkflow()
    await upstream.program([
      { method: 'GET', path: '/orders/7', responses: [{ body: { id: 7, total: 120 } }] },
      { method: 'POST', path: '/charge', responses: [{ status: 402, body: {} }] },
    ])
    const failed = await startByHand(workflow.id, { orderId: 7 })
    expect(failed.status).toBe('failed')
    const inbox = async () => (await listInbox(env.DB)).runs.map((r) => r.id)
    expect(await inbox()).toContain(failed.id)

    const resumed = await startAndWait(`/api/runs/${failed.id}/resume`)
    expect(resumed.status).toBe('failed')
    const charges = async () =>
      (await upstream.received()).requests.filter((r) => r.path === '/charge').length
    expect(await charges()).toBe(2)
    // The resume through the API takes the old run out of the inbox; the new failed run is in it.
    expect(await inbox()).not.toContain(failed.id)
    expect(await inbox()).toContain(resumed.id)

    const again = await post(`/api/runs/${failed.id}/resume`)
    expect(again.response.status).toBe(409)
    expect(again.body.error).toEqual({
      code: 'RUN_ALREADY_RESUMED',
      message:
        `Run ${failed.id} was resumed already, by run ${resumed.id}: resuming it again would run ` +
        `its failed step and every later one a second time. Follow run ${resumed.id} (resume ` +
        'that one if it failed), or replay this run to run it all again on purpose',
      details: { resumedBy: resumed.id },
    })
    expect(await charges()).toBe(2)
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE resumed_from = ?')
        .bind(failed.id)
        .first('n'),
    ).toBe(1)

    // A replay is a deliberate run of everything again: still allowed, and listed.
    const replayed = await startAndWait(`/api/runs/${failed.id}/replay`)
    expect(replayed.replayOf).toBe(failed.id)
    const old = await getRun(failed.id)
    expect(old.resumedBy).toBe(resumed.id)
    expect(old.copies).toEqual([
      { id: resumed.id, kind: 'resume', status: 'failed', createdAt: resumed.createdAt },
      { id: replayed.id, kind: 'replay', status: replayed.status, createdAt: replayed.createdAt },
    ])
  })

  it('makes one run of two resumes racing each other: the claim is one conditional UPDATE', async () => {
    const { workflow } = await orderWorkflow()
    const failed = await startByHand(workflow.id, { orderId: 7 })
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(`/api/runs/${failed.id}/resume`)),
    )
    const statuses = answers.map((a) => a.response.status).sort()
    expect(statuses).toEqual([202, 409, 409, 409])
    const winner = answers.find((a) => a.response.status === 202)!.body.runId as string
    for (const lost of answers.filter((a) => a.response.status === 409)) {
      expect(lost.body.error.code).toBe('RUN_ALREADY_RESUMED')
      expect(lost.body.error.details).toEqual({ resumedBy: winner })
    }
    await waitForRun(winner)
    const rows = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM runs WHERE resumed_from = ?1) AS runs,
         (SELECT resumed_by FROM runs WHERE id = ?1) AS resumedBy,
         (SELECT count(*) FROM steps WHERE run_id NOT IN (SELECT id FROM runs)) AS orphanSteps`,
    )
      .bind(failed.id)
      .first()
    expect(rows).toEqual({ runs: 1, resumedBy: winner, orphanSteps: 0 })
  })

  it('runs the rest on the current version with ?version=current, when the reused steps still fit', async () => {
    const { upstream, workflow } = await orderWorkflow()
    const failed = await startByHand(workflow.id, { orderId: 7 })
    const definition = (await (await admin(`/api/workflows/${workflow.id}`)).json()) as {
      nodes: { id: string; type: string; config: Record<string, unknown> }[]
    } & Record<string, unknown>
    const { id: _, version: __, webhookUrl: ___, createdAt: _c, updatedAt: _u, ...v1 } = definition
    // Version 2 fixes what comes after the failed step: the team is told differently.
    const nodes = v1.nodes.map((n) =>
      n.id === 'notify' ? { ...n, config: { ...n.config, url: upstream.url('/notify-v2') } } : n,
    )
    expect(
      (await admin(`/api/workflows/${workflow.id}`, { method: 'PUT', json: { ...v1, nodes } }))
        .status,
    ).toBe(200)

    const resumed = await startAndWait(`/api/runs/${failed.id}/resume?version=current`)
    expect(resumed.status).toBe('succeeded')
    expect(resumed.workflowVersion).toBe(2)
    expect(resumed.steps.map((s) => s.reusedFrom)).toEqual([failed.id, failed.id, null, null])
    const paths = (await upstream.received()).requests.map((r) => r.path)
    expect(paths.slice(-2)).toEqual(['/charge', '/notify-v2'])
  })

  it('refuses ?version=current when a reused step no longer fits the current version', async () => {
    const { workflow } = await orderWorkflow()
    const failed = await startByHand(workflow.id, { orderId: 7 })
    const definition = (await (await admin(`/api/workflows/${workflow.id}`)).json()) as {
      nodes: { id: string }[]
    } & Record<string, unknown>
    const { id: _, version: __, webhookUrl: ___, createdAt: _c, updatedAt: _u, ...v1 } = definition
    // A node put first moves every reused step's node one place down.
    const nodes = [{ id: 'audit', type: 'transform', config: { expression: '$' } }, ...v1.nodes]
    const put = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: { ...v1, nodes },
    })
    expect(put.status).toBe(200)

    const refused = await post(`/api/runs/${failed.id}/resume?version=current`)
    expect(refused.response.status).toBe(409)
    expect(refused.body.error).toEqual({
      code: 'RUN_NOT_RESUMABLE',
      message:
        `Run ${failed.id} cannot be resumed on version 2: step 1, node 'order' (http-request), ` +
        "which the resume reuses, is now 'audit' (transform): its recorded output would not " +
        'fit. Resume on the version the run ran on, or replay it',
      details: { status: 'failed', version: 2 },
    })
    // Nothing was claimed: the default resume (on version 1, as it ran) still works.
    expect((await getRun(failed.id)).resumedBy).toBeNull()
    const resumed = await startAndWait(`/api/runs/${failed.id}/resume`)
    expect(resumed.workflowVersion).toBe(1)
  })

  it('names the run whose node ran when a resumed run is resumed again', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        path: '/flaky',
        responses: [{ status: 503 }, { status: 503 }, { body: { ok: 'third time' } }],
      },
    ])
    const workflowId = await storeWorkflow({
      nodes: [
        { id: 'first', type: 'transform', config: { expression: '{ "n": n + 1 }' } },
        {
          id: 'flaky',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/flaky') },
        },
      ],
    })
    const first = await startByHand(workflowId, { n: 1 })
    expect(first.status).toBe('failed')
    const second = await startAndWait(`/api/runs/${first.id}/resume`)
    expect(second.status).toBe('failed')
    const third = await startAndWait(`/api/runs/${second.id}/resume`)
    expect(third.status).toBe('succeeded')
    expect(third.resumedFrom).toBe(second.id)
    expect(third.steps.map((s) => s.reusedFrom)).toEqual([first.id, null])
    expect(third.steps[0]!.output).toEqual({ n: 2 })
    expect((await upstream.received()).requests).toHaveLength(3)
    // The list says where each run came from too.
    const list = await admin(`/api/runs?workflowId=${workflowId}`)
    const { runs } = (await list.json()) as { runs: { id: string; resumedFrom: string | null }[] }
    expect(runs.map((r) => [r.id, r.resumedFrom])).toEqual([
      [third.id, second.id],
      [second.id, first.id],
      [first.id, null],
    ])
  })

  it('resumes a completed_with_errors run at its first failed step, and runs every later one', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/a', responses: [{ status: 500, body: 'down' }, { body: { a: 1 } }] },
      { path: '/b', responses: [{ body: { b: 2 } }] },
    ])
    const workflowId = await storeWorkflow({
      onError: 'continue',
      nodes: [
        { id: 'shape', type: 'transform', config: { expression: '{ "x": 1 }' } },
        { id: 'a', type: 'http-request', config: { method: 'POST', url: upstream.url('/a') } },
        { id: 'b', type: 'http-request', config: { method: 'POST', url: upstream.url('/b') } },
      ],
    })
    const old = await startByHand(workflowId, {})
    expect(old.status).toBe('completed_with_errors')
    const resumed = await startAndWait(`/api/runs/${old.id}/resume`)
    expect(resumed.status).toBe('succeeded')
    expect(resumed.steps.map((s) => s.reusedFrom)).toEqual([old.id, null, null])
    expect((await upstream.received()).requests.map((r) => r.path)).toEqual([
      '/a',
      '/b',
      '/a',
      '/b',
    ])
  })

  it('runs every element of a forEach cut before the run died again: progress stays with the old run', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: [
        { id: 'ids', type: 'transform', config: { expression: '{ "ids": ids }' } },
        {
          id: 'each',
          type: 'http-request',
          forEach: '{{ input.ids }}',
          config: { method: 'POST', url: upstream.url('/charge/{{ item }}') },
        },
      ],
    })
    const message = startMessage(workflowId, { ids: ['a', 'b', 'c', 'd'] })
    const later = holdingQueue()
    // A budget of three steps: the transform and two elements, then the run is handed on; the
    // message is lost and the run dead-lettered, its finished elements left in foreach_items.
    await runWorkflow({ db: env.DB, queue: later.queue }, message, { steps: 3, wallMs: 60_000 })
    expect((await upstream.received()).requests.map((r) => r.path)).toEqual([
      '/charge/a',
      '/charge/b',
    ])
    await deliver([later.sent[0]!.body], { queue: DEAD_LETTER_QUEUE, attempts: 5 })
    const dead = await getRun(message.runId)
    expect(dead.status).toBe('failed')
    expect(dead.error?.code).toBe('DEAD_LETTERED')
    const progress = () =>
      env.DB.prepare('SELECT run_id, item_index FROM foreach_items WHERE step_index = 1').all()
    expect((await progress()).results).toHaveLength(2)

    const resumed = await startAndWait(`/api/runs/${message.runId}/resume`)
    expect(resumed.status).toBe('succeeded')
    expect(resumed.steps.map((s) => s.reusedFrom)).toEqual([message.runId, null])
    expect((await upstream.received()).requests.map((r) => r.path)).toEqual([
      '/charge/a',
      '/charge/b',
      '/charge/a',
      '/charge/b',
      '/charge/c',
      '/charge/d',
    ])
    expect((resumed.steps[1]!.output as unknown[]).length).toBe(4)
    // The old run's rows are its own (retention deletes them with it); the new run left none.
    expect((await progress()).results.map((r) => r.run_id)).toEqual([message.runId, message.runId])
  })

  it('copies stored payloads: the resumed run keeps its reused outputs when the old run is pruned', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/save', responses: [{ status: 500, body: 'disk full' }, { body: { saved: true } }] },
    ])
    const workflowId = await storeWorkflow({
      nodes: [
        {
          id: 'big',
          type: 'transform',
          config: { expression: '{ "text": text, "n": $length(text) }' },
        },
        {
          id: 'save',
          type: 'http-request',
          config: {
            method: 'POST',
            url: upstream.url('/save'),
            body: { n: '{{ steps.big.output.n }}' },
          },
        },
      ],
    })
    // Over a D1 column's inline limit: the input and the first step's output are stored blobs.
    const text = 'x'.repeat(300_000)
    const old = await startByHand(workflowId, { text })
    expect(old.status).toBe('failed')
    const resumed = await startAndWait(`/api/runs/${old.id}/resume`)
    expect(resumed.status).toBe('succeeded')

    const refs = async (runId: string) => {
      const { results } = await env.DB.prepare(
        `SELECT input AS ref FROM runs WHERE id = ?1 UNION ALL SELECT input FROM steps WHERE run_id = ?1
         UNION ALL SELECT output FROM steps WHERE run_id = ?1`,
      )
        .bind(runId)
        .all<{ ref: string | null }>()
      return new Set(results.map((r) => r.ref).filter((r) => r?.startsWith('blob:')))
    }
    const [oldRefs, newRefs] = [await refs(old.id), await refs(resumed.id)]
    expect(oldRefs.size).toBeGreaterThanOrEqual(2)
    expect(newRefs.size).toBeGreaterThanOrEqual(3)
    expect([...newRefs].filter((ref) => oldRefs.has(ref))).toEqual([])

    // Retention deletes the old run with its blobs; the resumed run, made later, stays whole.
    const createdAt = Date.parse(resumed.createdAt as string)
    await pruneRuns({ DB: env.DB, RETENTION_DAYS: '30' }, createdAt + 30 * DAY_MS)
    expect((await admin(`/api/runs/${old.id}`)).status).toBe(404)
    const kept = await getRun(resumed.id)
    expect(kept.input).toEqual({ text })
    expect(kept.steps[0]!.reusedFrom).toBe(old.id)
    expect(kept.steps[0]!.output).toEqual({ text, n: 300_000 })
    expect(kept.steps[1]!.input).toEqual({ text, n: 300_000 })
    expect((await upstream.received()).requests.map((r) => r.body)).toEqual([
      { n: 300_000 },
      { n: 300_000 },
    ])
  })

  it('answers 409 naming why for a run that has not ended badly, and 404 for an unknown run', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const succeeded = await startByHand(workflowId, { ok: true })
    const refused = await post(`/api/runs/${succeeded.id}/resume`)
    expect(refused.response.status).toBe(409)
    expect(refused.body).toEqual({
      error: {
        code: 'RUN_NOT_RESUMABLE',
        message: `Run ${succeeded.id} cannot be resumed: it succeeded, so there is nothing to resume (replay it instead)`,
        details: { status: 'succeeded' },
      },
    })
    for (const status of ['queued', 'running'] as const) {
      const message = startMessage(workflowId, {})
      await seedRun(message, { status })
      const { response, body } = await post(`/api/runs/${message.runId}/resume`)
      expect(response.status).toBe(409)
      expect(body.error.message).toBe(
        `Run ${message.runId} cannot be resumed: it is ${status} and has not ended yet`,
      )
    }
    const unknown = crypto.randomUUID()
    for (const action of ['resume', 'replay']) {
      const { response, body } = await post(`/api/runs/${unknown}/${action}`)
      expect(response.status).toBe(404)
      expect(body).toEqual({
        error: { code: 'NOT_FOUND', message: `Run ${unknown} was not found` },
      })
    }
  })

  it('refuses to copy a run of a deleted workflow (409), and undoes a resume the queue refused', async () => {
    const { workflow } = await orderWorkflow()
    const failed = await startByHand(workflow.id, { orderId: 7 })

    const { app } = await import('../../app')
    const down = {
      send: async () => {
        throw new Error('Queue send failed: internal error')
      },
    }
    const ctx = createExecutionContext()
    const response = await app.fetch(
      new Request(`http://automateos.test/api/runs/${failed.id}/resume`, {
        method: 'POST',
        headers: { authorization: 'Bearer test-admin-token-of-at-least-32-characters' },
      }),
      { ...env, RUNS: down } as unknown as typeof env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(response.status).toBe(503)
    const counts = await env.DB.prepare(
      `SELECT (SELECT count(*) FROM runs WHERE workflow_id = ?1) AS runs,
         (SELECT count(*) FROM steps WHERE run_id NOT IN (SELECT id FROM runs)) AS orphanSteps`,
    )
      .bind(workflow.id)
      .first()
    expect(counts).toEqual({ runs: 1, orphanSteps: 0 })
    // The claim was given back with the run: the run can be resumed once the queue is back.
    expect((await getRun(failed.id)).resumedBy).toBeNull()

    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    for (const action of ['resume', 'replay', 'replay?version=original']) {
      const { response: refused, body } = await post(`/api/runs/${failed.id}/${action}`)
      expect(refused.status).toBe(409)
      expect(body.error).toEqual({
        code: 'WORKFLOW_DELETED',
        message: `Run ${failed.id} belongs to workflow ${workflow.id}, which was deleted: its runs cannot be replayed or resumed`,
      })
    }
  })
})

describe('POST /api/runs/:id/replay', () => {
  it('runs the same trigger and input on the current version, or with ?version=original on the old one', async () => {
    const upstream = fakeUpstream()
    const v1 = {
      name: 'greet',
      trigger: { type: 'webhook', dedupe: { header: 'x-delivery' } },
      nodes: [
        {
          id: 'old',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/v1'), body: { hi: '{{ input.name }}' } },
        },
      ],
    }
    const workflow = await createWorkflow(v1)
    const first = await waitForAccepted(
      await postWebhook(workflow, { name: 'Ada' }, { 'x-delivery': 'd-1' }),
    )
    expect(first.status).toBe('succeeded')
    const edited = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: {
        ...v1,
        nodes: [
          {
            id: 'new',
            type: 'http-request',
            config: {
              method: 'POST',
              url: upstream.url('/v2'),
              body: { hello: '{{ input.name }}' },
            },
          },
        ],
      },
    })
    expect(edited.status).toBe(200)

    const original = await startAndWait(`/api/runs/${first.id}/replay?version=original`)
    const current = await startAndWait(`/api/runs/${first.id}/replay`)
    expect([original.workflowVersion, current.workflowVersion]).toEqual([1, 2])
    expect(original.steps.map((s) => s.nodeId)).toEqual(['old'])
    expect(current.steps.map((s) => s.nodeId)).toEqual(['new'])
    for (const run of [original, current]) {
      expect(run.status).toBe('succeeded')
      expect(run.replayOf).toBe(first.id)
      expect(run.resumedFrom).toBeNull()
      // The trigger as recorded, delivery id included: a replay is not a repeated delivery.
      expect(run.trigger).toEqual(first.trigger)
      expect(run.input).toEqual({ name: 'Ada' })
      expect(run.steps[0]!.reusedFrom).toBeNull()
      expect(Date.parse(run.createdAt as string)).toBeGreaterThan(
        Date.parse(first.createdAt as string),
      )
    }
    expect(
      (await upstream.received()).requests.map((r) => ({ path: r.path, body: r.body })),
    ).toEqual([
      { path: '/v1', body: { hi: 'Ada' } },
      { path: '/v1', body: { hi: 'Ada' } },
      { path: '/v2', body: { hello: 'Ada' } },
    ])
    // The sender's own repeat of the delivery is still a duplicate of the first run.
    const repeat = await postWebhook(workflow, { name: 'Ada' }, { 'x-delivery': 'd-1' })
    expect(repeat.status).toBe(200)
    expect(((await repeat.json()) as Started).runId).toBe(first.id)
  })

  it('refuses an unknown version value', async () => {
    const { response, body } = await post(`/api/runs/${crypto.randomUUID()}/replay?version=v1`)
    expect(response.status).toBe(400)
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.details[0].path).toBe('query.version')
  })
})
