import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postAndWait,
  postWebhook,
  waitForAccepted,
  waitForRun,
} from '../../../test/helpers'

const echo = {
  name: 'echo',
  nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
}

type Accepted = { runId: string; duplicate?: boolean }

describe('concurrent duplicate deliveries', () => {
  for (const [label, trigger, headers] of [
    ['the same Idempotency-Key', { type: 'webhook' }, { 'idempotency-key': 'evt-concurrent' }],
    ['the same dedupe id in the body', { type: 'webhook', dedupe: { path: 'id' } }, {}],
  ] as const) {
    it(`${label}, sent 8 times at once: one 202, seven duplicates, one run, one upstream effect`, async () => {
      const upstream = fakeUpstream()
      const workflow = await createWorkflow({
        name: 'once',
        trigger,
        nodes: [
          {
            id: 'charge',
            type: 'http-request',
            config: { method: 'POST', url: upstream.url('/charge') },
          },
        ],
      })
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => postWebhook(workflow, { id: 'evt_1', amount: 5 }, headers)),
      )
      const statuses = responses.map((r) => r.status).sort()
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 202])
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as Accepted[]
      const runIds = new Set(bodies.map((b) => b.runId))
      expect(runIds.size).toBe(1)
      expect(bodies.filter((b) => b.duplicate === true)).toHaveLength(7)

      await waitForRun([...runIds][0]!)
      const runs = (await (await admin(`/api/runs?workflowId=${workflow.id}`)).json()) as {
        runs: unknown[]
      }
      expect(runs.runs).toHaveLength(1)
      expect((await upstream.received()).effects).toHaveLength(1)
    })
  }
})

describe('webhook bodies', () => {
  it('takes a multipart form: fields as values, files described by name, type and size', async () => {
    const workflow = await createWorkflow(echo)
    const form = new FormData()
    form.append('email', 'ada@example.com')
    form.append('tag', 'a')
    form.append('tag', 'b')
    form.append('file', new File(['hello'], 'note.txt', { type: 'text/plain' }))
    const response = await SELF.fetch(workflow.webhookUrl, { method: 'POST', body: form })
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.input).toEqual({
      email: 'ada@example.com',
      tag: ['a', 'b'],
      file: { filename: 'note.txt', type: 'text/plain', size: 5 },
    })
  })

  it('takes an empty body as an empty object', async () => {
    const workflow = await createWorkflow(echo)
    const response = await SELF.fetch(workflow.webhookUrl, { method: 'POST' })
    expect(response.status).toBe(202)
    const run = await waitForAccepted(response)
    expect(run.input).toEqual({})
  })

  it('without a content type, reads a JSON-looking body as JSON and anything else as text', async () => {
    const workflow = await createWorkflow(echo)
    const send = (body: string) =>
      SELF.fetch(workflow.webhookUrl, { method: 'POST', body: new TextEncoder().encode(body) })
    const json = await send('{"a": [1, 2]}')
    const text = await send('plain words')
    const [jsonRun, textRun] = await Promise.all([waitForAccepted(json), waitForAccepted(text)])
    expect(jsonRun.input).toEqual({ a: [1, 2] })
    expect(textRun.input).toBe('plain words')
  })
})

describe('workflow changes reach the webhook at once', () => {
  it('disabling a workflow by PUT answers its webhook 404 straight away, cache or not', async () => {
    const workflow = await createWorkflow(echo)
    // Warm the ingest cache with an accepted delivery first.
    expect((await postAndWait(workflow, { n: 1 })).status).toBe('succeeded')
    const put = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: { ...echo, enabled: false },
    })
    expect(put.status).toBe(200)
    expect((await postWebhook(workflow, { n: 2 })).status).toBe(404)
  })
})
