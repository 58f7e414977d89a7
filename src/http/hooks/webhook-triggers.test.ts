import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postWebhook,
  waitForRun,
  type RunView,
} from '../../../test/helpers'

const echo = [{ id: 'echo', type: 'transform', config: { expression: '$' } }]

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}

const runIdOf = async (response: Response) => ((await response.json()) as { runId: string }).runId

describe('POST /api/workflows/:id/rotate-token', () => {
  it('gives a new webhook URL; the old one answers 404 at once, the warm cache included', async () => {
    const workflow = await createWorkflow({ name: 'rotate me', nodes: echo })
    // The first call puts the workflow in this instance's ingest cache.
    expect((await postWebhook(workflow, { n: 1 })).status).toBe(202)

    const response = await admin(`/api/workflows/${workflow.id}/rotate-token`, { method: 'POST' })
    expect(response.status).toBe(200)
    const rotated = (await response.json()) as { webhookUrl: string; version: number; id: string }
    expect(rotated.id).toBe(workflow.id)
    expect(rotated.version).toBe(workflow.version)
    expect(rotated.webhookUrl).not.toBe(workflow.webhookUrl)
    expect(rotated.webhookUrl).toMatch(new RegExp(`/hooks/${workflow.id}/[A-Za-z0-9_-]{32}$`))

    const old = await postWebhook(workflow, { n: 2 })
    expect(old.status).toBe(404)
    const fresh = await postWebhook(rotated, { n: 3 })
    expect(fresh.status).toBe(202)
    const run = await waitForRun(await runIdOf(fresh))
    expect(run.output).toEqual({ n: 3 })
    expect(await runCount(workflow.id)).toBe(2)

    // Shown once: D1 keeps the token's hash, so a read has no URL to give.
    const read = (await (await admin(`/api/workflows/${workflow.id}`)).json()) as {
      webhookUrl: string | null
    }
    expect(read.webhookUrl).toBeNull()
  })

  it('answers 404 for an unknown workflow', async () => {
    const response = await admin('/api/workflows/wf_nope/rotate-token', { method: 'POST' })
    expect(response.status).toBe(404)
  })
})

describe('webhook methods', () => {
  it('takes POST only by default: GET, PUT and HEAD get 405 with Allow and start nothing', async () => {
    const workflow = await createWorkflow({ name: 'post only', nodes: echo })
    for (const method of ['GET', 'PUT', 'HEAD']) {
      const response = await SELF.fetch(workflow.webhookUrl, { method })
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('POST')
    }
    expect(await runCount(workflow.id)).toBe(0)
  })

  it('GET, when enabled, passes the query as the input', async () => {
    const workflow = await createWorkflow({
      name: 'get hook',
      trigger: { type: 'webhook', methods: ['GET', 'POST'] },
      nodes: echo,
    })
    const response = await SELF.fetch(`${workflow.webhookUrl}?email=ada%40example.com&tag=a&tag=b`)
    expect(response.status).toBe(202)
    const run = await waitForRun(await runIdOf(response))
    expect(run.input).toEqual({ email: 'ada@example.com', tag: ['a', 'b'] })
    expect(run.trigger).toMatchObject({ type: 'webhook', method: 'GET' })
    // HEAD is never a run, even where GET is.
    expect((await SELF.fetch(workflow.webhookUrl, { method: 'HEAD' })).status).toBe(405)
    expect((await SELF.fetch(workflow.webhookUrl, { method: 'PUT', body: '{}' })).status).toBe(405)
  })

  it('PUT, when enabled, takes the body like POST', async () => {
    const workflow = await createWorkflow({
      name: 'put hook',
      trigger: { type: 'webhook', methods: ['PUT'] },
      nodes: echo,
    })
    const response = await SELF.fetch(workflow.webhookUrl, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"sku":"A-1"}',
    })
    expect(response.status).toBe(202)
    const run = await waitForRun(await runIdOf(response))
    expect(run.output).toEqual({ sku: 'A-1' })
    expect((await postWebhook(workflow, {})).status).toBe(405)
  })

  it('refuses an unknown method in the definition', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: { name: 'x', trigger: { type: 'webhook', methods: ['DELETE'] }, nodes: echo },
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { error: { details: { path: string }[] } }
    expect(body.error.details[0]!.path).toBe('trigger.methods.0')
  })
})

describe('respond: sync', () => {
  it("answers with the run's output", async () => {
    const workflow = await createWorkflow({
      name: 'quote',
      trigger: { type: 'webhook', respond: 'sync' },
      nodes: [{ id: 'quote', type: 'transform', config: { expression: '{ "total": qty * 5 }' } }],
    })
    const response = await postWebhook(workflow, { qty: 3 })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    expect(await response.json()).toEqual({ total: 15 })
    const runId = response.headers.get('x-run-id')!
    expect(response.headers.get('location')).toMatch(new RegExp(`/api/runs/${runId}$`))
    expect(((await waitForRun(runId)) as RunView).status).toBe('succeeded')
  })

  it('answers with what a respond node set, before the nodes after it finish', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { method: 'POST', path: '/slow', responses: [{ status: 200, body: {}, gate: 'after' }] },
    ])
    const workflow = await createWorkflow({
      name: 'form endpoint',
      trigger: { type: 'webhook', respond: 'sync' },
      nodes: [
        { id: 'shape', type: 'transform', config: { expression: '{ "received": name }' } },
        {
          id: 'answer',
          type: 'respond',
          config: { status: 201, headers: { 'x-form': 'thanks' } },
        },
        {
          id: 'later',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/slow') },
        },
      ],
    })
    const response = await postWebhook(workflow, { name: 'Ada' })
    expect(response.status).toBe(201)
    expect(response.headers.get('x-form')).toBe('thanks')
    expect(response.headers.get('content-security-policy')).toBe("sandbox; frame-ancestors 'none'")
    expect(await response.json()).toEqual({ received: 'Ada' })
    // The run goes on after the answer: the last node is still held at the gate.
    await upstream.waitForRequests(1)
    await upstream.release('after')
    const run = await waitForRun(response.headers.get('x-run-id')!)
    expect(run.status).toBe('succeeded')
    expect(run.steps[1]!.output).toEqual({
      status: 201,
      headers: { 'x-form': 'thanks' },
      body: { received: 'Ada' },
    })
  })

  it('answers text bodies as text, and a failed run as 500 without its error', async () => {
    const text = await createWorkflow({
      name: 'text',
      trigger: { type: 'webhook', respond: 'sync' },
      nodes: [{ id: 'answer', type: 'respond', config: { body: 'OK', status: 200 } }],
    })
    const ok = await postWebhook(text, {})
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-type')).toMatch(/text\/plain/)
    expect(await ok.text()).toBe('OK')

    const failing = await createWorkflow({
      name: 'fails',
      trigger: { type: 'webhook', respond: 'sync' },
      nodes: [{ id: 'boom', type: 'transform', config: { expression: '$error("secret detail")' } }],
    })
    const failed = await postWebhook(failing, {})
    expect(failed.status).toBe(500)
    const body = await failed.text()
    expect(JSON.parse(body)).toMatchObject({ error: { code: 'RUN_FAILED' } })
    expect(body).not.toContain('secret detail')
  })

  it('answers 202 with the run id when the run takes longer than 25 s', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        method: 'POST',
        path: '/slow',
        responses: [{ status: 200, body: { done: true }, gate: 'go' }],
      },
    ])
    const workflow = await createWorkflow({
      name: 'slow',
      trigger: { type: 'webhook', respond: 'sync' },
      nodes: [
        {
          id: 'slow',
          type: 'http-request',
          timeoutMs: 60_000,
          config: { method: 'POST', url: upstream.url('/slow') },
        },
      ],
    })
    const response = await postWebhook(workflow, {})
    // Held at the gate all along, so the run cannot have ended: the answer is the 202.
    expect(response.status).toBe(202)
    const runId = await runIdOf(response)
    await upstream.release('go')
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toMatchObject({ status: 200, body: { done: true } })
  })
})
