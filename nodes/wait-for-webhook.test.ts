import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { runWorkflow } from '../src/engine/run-workflow'
import { resumeKeyOf } from '../src/engine/resume-key'
import { resumeToken } from '../src/engine/resume-url'
import { wakeRun } from '../src/engine/wake-run'
import {
  BIG_BUDGET,
  holdingQueue,
  startMessage,
  storeUncheckedWorkflow,
  storeWorkflow,
} from '../test/engine-fixtures'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  getRun,
  postAndWait,
  waitForRun,
} from '../test/helpers'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
import waitForWebhook from './wait-for-webhook'

const PUBLIC_URL = 'https://automateos.example.com'

/** An http-request step that posts the resume URL to a fake upstream, then the wait. */
function askThenWait(upstream: ReturnType<typeof fakeUpstream>, wait: Record<string, unknown>) {
  return [
    {
      id: 'ask',
      type: 'http-request',
      config: { method: 'POST', url: upstream.url('/ask'), body: { link: '{{ run.resumeUrl }}' } },
      retry: { maxAttempts: 2, delayMs: 0 },
    },
    { id: 'approval', type: 'wait-for-webhook', config: wait },
    { id: 'after', type: 'transform', config: { expression: '{ "got": $ }' } },
  ]
}

async function linksSent(upstream: ReturnType<typeof fakeUpstream>) {
  const { requests } = await upstream.received()
  return requests.map((r) => (r.body as { link: string }).link)
}

const post = (url: string, body: unknown) =>
  SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('wait-for-webhook', () => {
  it('gives the same URL on a retried step and in a later message, which the wait then accepts', async () => {
    const upstream = fakeUpstream()
    // The first attempt fails: the retry must send the same link.
    await upstream.program([
      {
        path: '/ask',
        responses: [
          { status: 503, body: 'busy' },
          { status: 200, body: {} },
        ],
      },
    ])
    const workflowId = await storeWorkflow({ nodes: askThenWait(upstream, {}) })
    const message = startMessage(workflowId, { orderId: 'ord_1' })
    const held = holdingQueue()
    const deps = { db: env.DB, queue: held.queue, publicUrl: `${PUBLIC_URL}/`, keySlots: env }
    // One step per message: the wait computes its URL in a new message, from D1.
    const oneStep = { steps: 1, wallMs: 600_000 }
    await runWorkflow(deps, message, oneStep)

    const [first, second] = await linksSent(upstream)
    expect(first).toBe(second)
    const token = first!.slice(first!.lastIndexOf('/') + 1)
    expect(first).toBe(`${PUBLIC_URL}/hooks/resume/${message.runId}/approval/${token}`)
    const stored = await env.DB.prepare('SELECT resume_key FROM runs WHERE id = ?')
      .bind(message.runId)
      .first<string>('resume_key')
    // D1 keeps a salt; the key is made from it with the Worker's secret, and is the run's alone.
    expect(stored).toMatch(/^derived:[\w-]+:[\w-]{22}$/)
    const key = await resumeKeyOf(env, message.runId, stored!)
    expect(await resumeToken(key, message.runId, 'approval')).toBe(token)
    expect(JSON.stringify(await getRun(message.runId))).not.toContain(key)

    // Not at the wait yet: the caller is told to come back, and nothing is used up.
    const early = await post(first!.replace(PUBLIC_URL, 'http://automateos.test'), { ok: 1 })
    expect(early.status).toBe(409)
    expect(early.headers.get('retry-after')).toBe('1')
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe(
      'RUN_NOT_WAITING_YET',
    )

    await runWorkflow(deps, held.sent.at(-1)!.body, oneStep)
    expect((await getRun(message.runId)).waitingFor).toMatchObject({ nodeId: 'approval' })
    // A redelivery of the message that paused the run leaves the same wait in place.
    await runWorkflow(deps, held.sent.at(-2)!.body, BIG_BUDGET)
    expect((await getRun(message.runId)).waitingFor).toMatchObject({
      nodeId: 'approval',
      delivered: false,
    })

    // Past the wait's timeout nothing is delivered, even before a consumer has ended the wait.
    const call = { runId: message.runId, callKey: token, value: { late: true } }
    const wake = { DB: env.DB, RUNS: held.queue }
    expect(await wakeRun(wake, call, Date.now() + 86_400_000 + 1000)).toBe(false)

    const answer = await post(first!.replace(PUBLIC_URL, 'http://automateos.test'), { ok: 1 })
    expect(answer.status).toBe(202)
    const run = await waitForRun(message.runId)
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(run.output).toMatchObject({ got: { body: { ok: 1 }, method: 'POST' } })
  })

  it('fails the step at its timeout under onTimeout: fail; the URL is refused after', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: askThenWait(upstream, { timeoutSeconds: 1 }),
    })
    const message = startMessage(workflowId, {})
    await runWorkflow(
      { db: env.DB, queue: env.RUNS, publicUrl: 'http://automateos.test', keySlots: env },
      message,
      BIG_BUDGET,
    )
    const [link] = await linksSent(upstream)
    expect((await getRun(message.runId)).waitingFor).toMatchObject({ for: 'webhook' })

    const run = await waitForRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['ask', 'succeeded'],
      ['approval', 'failed'],
      ['after', 'skipped'],
    ])
    expect(run.steps[1]!.error).toEqual({
      message:
        "Step 2 'approval' (wait-for-webhook) failed: No call to the resume URL within 1 s (timeoutSeconds)",
      code: 'WAIT_TIMED_OUT',
    })
    const late = await post(link!, { ok: 1 })
    expect(late.status).toBe(410)
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('RESUME_URL_USED')
  })

  it('is resumed after a timeout from the step that sent its link, which sends a new one', async () => {
    const upstream = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'Approval, resumed',
      nodes: askThenWait(upstream, { timeoutSeconds: 1 }),
    })
    const failed = await postAndWait(workflow, { order: 7 })
    expect(failed.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'skipped'])

    const response = await admin(`/api/runs/${failed.id}/resume`, { method: 'POST' })
    expect(response.status).toBe(202)
    const { runId } = (await response.json()) as { runId: string }
    while ((await getRun(runId)).waitingFor === undefined) await sleep(50)
    const [oldLink, newLink] = await linksSent(upstream)
    expect(oldLink).toContain(`/hooks/resume/${failed.id}/approval/`)
    expect(newLink).toContain(`/hooks/resume/${runId}/approval/`)
    expect((await post(oldLink!, { ok: 1 })).status).toBe(410)
    expect((await post(newLink!, { ok: 2 })).status).toBe(202)

    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    // Nothing reused: the link was the first step, and it names the new run now.
    expect(run.steps.map((s) => [s.nodeId, s.reusedFrom])).toEqual([
      ['ask', null],
      ['approval', null],
      ['after', null],
    ])
    expect(run.output).toMatchObject({ got: { body: { ok: 2 } } })
  })

  it('continues with timeoutOutput (or null) under onTimeout: continue', async () => {
    const upstream = fakeUpstream()
    const workflowId = await storeWorkflow({
      nodes: askThenWait(upstream, {
        timeoutSeconds: 1,
        onTimeout: 'continue',
        timeoutOutput: { approved: false },
      }),
    })
    const message = startMessage(workflowId, {})
    const deps = { db: env.DB, queue: env.RUNS, publicUrl: 'http://automateos.test', keySlots: env }
    await runWorkflow(deps, message, BIG_BUDGET)
    const run = await waitForRun(message.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps[1]!.output).toEqual({ approved: false })
    expect(run.output).toEqual({ got: { approved: false } })

    const nullId = await storeWorkflow({
      nodes: askThenWait(upstream, { timeoutSeconds: 1, onTimeout: 'continue' }),
    })
    const second = startMessage(nullId, {})
    await runWorkflow(deps, second, BIG_BUDGET)
    expect((await waitForRun(second.runId)).steps[1]!.output).toBeNull()
  })

  it('refuses run.resumeUrl with no wait-for-webhook node at or after it when saving', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'no wait',
        nodes: [
          { id: 'approval', type: 'wait-for-webhook', config: {} },
          {
            id: 'ask',
            type: 'http-request',
            config: { url: 'https://example.com', body: { link: '{{ run.resumeUrl }}' } },
          },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as {
      error: { details: { path: string; message: string }[] }
    }
    expect(error.details).toEqual([
      {
        path: 'nodes.1.config.body.link',
        message:
          '{{ run.resumeUrl }} reads run.resumeUrl: no wait-for-webhook node runs at or after this one, so there is no wait to resume',
      },
    ])
  })

  it('is refused under forEach when saving: a run waits at a step, not at an element', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'wait per item',
        nodes: [{ id: 'each', type: 'wait-for-webhook', forEach: '{{ input.items }}', config: {} }],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { details: { path: string }[] } }
    expect(error.details.map((d) => d.path)).toEqual(['nodes.0.forEach'])
  })

  it('fails the step clearly when a stored workflow has no wait after it, or no public URL is known', async () => {
    const upstream = fakeUpstream()
    const [ask] = askThenWait(upstream, {})
    const noWait = await storeUncheckedWorkflow({ nodes: [ask] })
    const message = startMessage(noWait, {})
    const deps = { db: env.DB, queue: holdingQueue().queue, publicUrl: PUBLIC_URL, keySlots: env }
    await runWorkflow(deps, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({
      code: 'RESUME_URL_UNAVAILABLE',
      message:
        "Step 1 'ask' (http-request) failed: run.resumeUrl: no wait-for-webhook node runs at or after node 'ask', so there is no wait to resume; put one after this node",
    })

    // A manual start recorded no origin here (startMessage), and PUBLIC_URL is not set.
    const withWait = await storeWorkflow({ nodes: askThenWait(upstream, {}) })
    const unknownOrigin = startMessage(withWait, {})
    await runWorkflow({ ...deps, publicUrl: undefined }, unknownOrigin, BIG_BUDGET)
    const failed = await getRun(unknownOrigin.runId)
    expect(failed.steps[0]!.error).toMatchObject({ code: 'RESUME_URL_UNAVAILABLE' })
    expect(failed.steps[0]!.error!.message).toContain('set the PUBLIC_URL variable')
    expect((await upstream.received()).requests).toHaveLength(0)
  })

  it('waits 24 hours and fails by default, and at most 30 days', () => {
    const { config } = waitForWebhook
    expect(config.parse({})).toEqual({ timeoutSeconds: 86_400, onTimeout: 'fail' })
    expect(config.safeParse({ timeoutSeconds: 30 * 24 * 3600 }).success).toBe(true)
    expect(config.safeParse({ timeoutSeconds: 30 * 24 * 3600 + 1 }).success).toBe(false)
    expect(config.safeParse({ onTimeout: 'retry' }).success).toBe(false)
  })
})
