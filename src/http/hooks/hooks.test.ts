import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForAccepted, waitForRun } from '../../../test/helpers'

const echo = {
  name: 'echo',
  nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
}

describe('POST /hooks/:workflowId/:token', () => {
  it('gives the same 404 for an unknown workflow, a wrong token and a disabled workflow', async () => {
    const workflow = await createWorkflow(echo)
    const disabled = await createWorkflow({ ...echo, enabled: false })
    const [unknown, wrongToken, off] = await Promise.all([
      SELF.fetch('http://automateos.test/hooks/wf_nope/whatever', { method: 'POST', body: '{}' }),
      SELF.fetch(workflow.webhookUrl.replace(/\/[^/]+$/, '/wrong-token'), {
        method: 'POST',
        body: '{}',
      }),
      postWebhook(disabled, {}),
    ])
    const bodies = await Promise.all([unknown, wrongToken, off].map((r) => r.text()))
    expect([unknown.status, wrongToken.status, off.status]).toEqual([404, 404, 404])
    expect(new Set(bodies).size).toBe(1)
    expect(JSON.parse(bodies[0]!)).toEqual({
      error: { code: 'NOT_FOUND', message: expect.any(String) },
    })
  })

  it('accepts form and text bodies as the payload', async () => {
    const workflow = await createWorkflow(echo)
    const form = await SELF.fetch(workflow.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=ada%40example.com&tag=a&tag=b',
    })
    const text = await SELF.fetch(workflow.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello there',
    })
    const formRun = await waitForAccepted(form)
    const textRun = await waitForAccepted(text)
    expect(formRun.input).toEqual({ email: 'ada@example.com', tag: ['a', 'b'] })
    expect(textRun.output).toBe('hello there')
  })

  it('rejects malformed JSON with a 400 that says why', async () => {
    const workflow = await createWorkflow(echo)
    const response = await postWebhook(workflow, '{"broken": ')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('INVALID_JSON')
    expect(body.error.message).toMatch(/not valid JSON/)
  })

  it('records the trigger without credentials a sender put in headers', async () => {
    const workflow = await createWorkflow(echo)
    const response = await postWebhook(
      workflow,
      { a: 1 },
      { authorization: 'Bearer secret-of-sender', 'x-github-event': 'push' },
    )
    const run = await waitForAccepted(response)
    const trigger = run.trigger as { type: string; headers: Record<string, string> }
    expect(trigger.type).toBe('webhook')
    expect(trigger.headers['x-github-event']).toBe('push')
    expect(JSON.stringify(run)).not.toContain('secret-of-sender')
  })
})

describe('large payloads', () => {
  it('accepts a body of 1 MiB: stored in D1, referenced by the message, passed on whole', async () => {
    const workflow = await createWorkflow({
      name: 'big',
      nodes: [
        { id: 'size', type: 'transform', config: { expression: '{ "length": $length(blob) }' } },
      ],
    })
    const blob = 'x'.repeat(1024 * 1024 - 20)
    const body = JSON.stringify({ blob })
    expect(body.length).toBeLessThanOrEqual(1024 * 1024)
    const response = await postWebhook(workflow, body)
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ length: blob.length })
    expect((run.input as { blob: string }).blob).toBe(blob)
  })

  it('answers 413 above 1 MiB, and queues nothing', async () => {
    const workflow = await createWorkflow(echo)
    const response = await postWebhook(workflow, JSON.stringify({ blob: 'x'.repeat(1024 * 1024) }))
    expect(response.status).toBe(413)
    const body = (await response.json()) as { error: { code: string; details: { limit: number } } }
    expect(body.error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(body.error.details.limit).toBe(1024 * 1024)
    // A webhook accepted after the refused one has been queued, delivered and run: anything the
    // refused one had deferred (a D1 write, a queue message) would have landed by then.
    const later = await postWebhook(workflow, { after: true })
    const laterRun = await waitForAccepted(later)
    const runs = (await (await admin(`/api/runs?workflowId=${workflow.id}`)).json()) as {
      runs: { id: string }[]
    }
    expect(runs.runs.map((r) => r.id)).toEqual([laterRun.id])
  })

  it('stores a step output too large for a column instead of failing the run', async () => {
    const workflow = await createWorkflow({
      name: 'grows',
      nodes: [
        {
          id: 'grow',
          type: 'transform',
          config: { expression: '{ "big": $join([1..40000].("abcdefghij"), "") }' },
        },
        { id: 'measure', type: 'transform', config: { expression: '$length(big)' } },
      ],
    })
    const response = await postWebhook(workflow, {})
    const run = await waitForAccepted(response)
    expect(run.status).toBe('succeeded')
    expect(run.output).toBe(400_000)
    expect((run.steps[0]!.output as { big: string }).big).toHaveLength(400_000)
    const { results } = await env.DB.prepare(
      'SELECT output FROM steps WHERE run_id = ? AND step_index = 0',
    )
      .bind(run.id)
      .all<{ output: string }>()
    expect(results[0]!.output).toMatch(/^blob:/)
  })
})

describe('delivery dedupe', () => {
  it('answers a repeated Idempotency-Key with 200 and the first run, enqueuing nothing', async () => {
    const workflow = await createWorkflow(echo)
    const first = await postWebhook(workflow, { n: 1 }, { 'idempotency-key': 'evt-1' })
    const again = await postWebhook(workflow, { n: 2 }, { 'idempotency-key': 'evt-1' })
    expect(first.status).toBe(202)
    expect(again.status).toBe(200)
    const a = (await first.json()) as { runId: string }
    const b = (await again.json()) as { runId: string; duplicate: boolean }
    expect(b).toMatchObject({ runId: a.runId, duplicate: true })
    await waitForRun(a.runId)
    const runs = (await (await admin(`/api/runs?workflowId=${workflow.id}`)).json()) as {
      runs: unknown[]
    }
    expect(runs.runs).toHaveLength(1)
  })

  it('uses the delivery id header the trigger names', async () => {
    const workflow = await createWorkflow({
      ...echo,
      trigger: { type: 'webhook', dedupe: { header: 'X-GitHub-Delivery' } },
    })
    const a = await postWebhook(workflow, {}, { 'x-github-delivery': 'd-1' })
    const b = await postWebhook(workflow, {}, { 'x-github-delivery': 'd-1' })
    const c = await postWebhook(workflow, {}, { 'x-github-delivery': 'd-2' })
    expect([a.status, b.status, c.status]).toEqual([202, 200, 202])
  })

  it('uses a JSONata path into the body, such as a Stripe event id', async () => {
    const workflow = await createWorkflow({
      ...echo,
      trigger: { type: 'webhook', dedupe: { path: 'id' } },
    })
    const a = await postWebhook(workflow, { id: 'evt_123', type: 'charge.succeeded' })
    const b = await postWebhook(workflow, { id: 'evt_123', type: 'charge.succeeded' })
    const c = await postWebhook(workflow, { id: 'evt_456' })
    expect([a.status, b.status, c.status]).toEqual([202, 200, 202])
    const first = (await a.json()) as { runId: string }
    expect(((await b.json()) as { runId: string }).runId).toBe(first.runId)
  })

  it('starts a new run once the 24-hour window has passed', async () => {
    const workflow = await createWorkflow(echo)
    const first = (await (
      await postWebhook(workflow, {}, { 'idempotency-key': 'old' })
    ).json()) as { runId: string }
    await env.DB.prepare(
      'UPDATE ingest_keys SET created_at = created_at - 25 * 3600 * 1000 WHERE run_id = ?',
    )
      .bind(first.runId)
      .run()
    const later = await postWebhook(workflow, {}, { 'idempotency-key': 'old' })
    expect(later.status).toBe(202)
    expect(((await later.json()) as { runId: string }).runId).not.toBe(first.runId)
  })

  it('keys are per workflow', async () => {
    const one = await createWorkflow(echo)
    const two = await createWorkflow(echo)
    const a = await postWebhook(one, {}, { 'idempotency-key': 'shared' })
    const b = await postWebhook(two, {}, { 'idempotency-key': 'shared' })
    expect([a.status, b.status]).toEqual([202, 202])
  })
})

describe('recording the run', () => {
  /** env.DB, noting when the ingest path's INSERT of the run has completed (alone or in a batch). */
  function watchedDb() {
    const seen = { recorded: false }
    const inserts = new WeakMap<object, D1PreparedStatement>()
    const db = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch') {
          return async (statements: D1PreparedStatement[]) => {
            const results = await target.batch(statements.map((s) => inserts.get(s) ?? s))
            if (statements.some((s) => inserts.has(s))) seen.recorded = true
            return results
          }
        }
        if (key !== 'prepare') return Reflect.get(target, key).bind(target)
        return (sql: string) => {
          const statement = target.prepare(sql)
          if (!sql.includes('INSERT INTO runs')) return statement
          return new Proxy(statement, {
            get(st, k) {
              if (k !== 'bind') return Reflect.get(st, k).bind(st)
              return (...args: unknown[]) => {
                const bound = st.bind(...args)
                const watched = {
                  run: () => bound.run().then((r) => ((seen.recorded = true), r)),
                }
                inserts.set(watched, bound)
                return watched
              }
            },
          })
        }
      },
    })
    return { db, seen }
  }

  for (const recordFirst of [true, false]) {
    it(`INGEST_RECORD_FIRST=${recordFirst}: the run is recorded ${recordFirst ? 'before' : 'after'} the answer`, async () => {
      const { app } = await import('../../app')
      const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test')
      const workflow = await createWorkflow(echo)
      const { db, seen } = watchedDb()
      const ctx = createExecutionContext()
      const response = await app.fetch(
        new Request(workflow.webhookUrl, { method: 'POST', body: '{"a":1}' }),
        { ...env, DB: db, INGEST_RECORD_FIRST: String(recordFirst) },
        ctx,
      )
      expect(response.status).toBe(202)
      expect(seen.recorded).toBe(recordFirst)
      await waitOnExecutionContext(ctx)
      expect(seen.recorded).toBe(true)
    })
  }
})

describe('when the queue is unavailable', () => {
  it("answers 503, keeps no run and frees the delivery id for the sender's retry", async () => {
    const { app } = await import('../../app')
    const { createExecutionContext, waitOnExecutionContext } = await import('cloudflare:test')
    const workflow = await createWorkflow(echo)
    const down = {
      send: async () => {
        throw new Error('Queue send failed: internal error')
      },
    }
    const ctx = createExecutionContext()
    const response = await app.fetch(
      new Request(workflow.webhookUrl, {
        method: 'POST',
        headers: { 'idempotency-key': 'retry-me' },
        body: '{"a":1}',
      }),
      { ...env, RUNS: down, INGEST_RECORD_FIRST: 'true' } as unknown as typeof env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(response.status).toBe(503)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
      'QUEUE_UNAVAILABLE',
    )
    const runs = (await (await admin(`/api/runs?workflowId=${workflow.id}`)).json()) as {
      runs: unknown[]
    }
    expect(runs.runs).toHaveLength(0)

    const retry = await postWebhook(workflow, { a: 1 }, { 'idempotency-key': 'retry-me' })
    expect(retry.status).toBe(202)
    await waitForAccepted(retry)
  })
})

describe('queue message size', () => {
  it('counts bytes, not characters: a body of multi-byte text under 1 MiB still runs', async () => {
    const workflow = await createWorkflow({
      name: 'wide text',
      nodes: [{ id: 'size', type: 'transform', config: { expression: '$length(text)' } }],
    })
    // 60,000 characters of 3 bytes each: 180 KB of UTF-8, over a queue message's 128 KB.
    const text = '漢'.repeat(60_000)
    const response = await postWebhook(workflow, { text })
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.output).toBe(60_000)
  })

  it('leaves room for large trigger headers next to the body', async () => {
    const workflow = await createWorkflow(echo)
    const headers = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`x-big-${i}`, 'h'.repeat(6000)]),
    )
    const response = await postWebhook(workflow, { blob: 'b'.repeat(95_000) }, headers)
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.status).toBe('succeeded')
  })
})
