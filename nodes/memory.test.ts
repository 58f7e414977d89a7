import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postAndWait,
  postWebhook,
  waitForAccepted,
  type RunView,
} from '../test/helpers'
import { fakeApp, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import { nodeContext } from '../test/node-context'
import { isHalt } from '../src/nodes/define-node'
import { MAX_VALUE_BYTES, nodeMemory, readMemory, writeMemory } from '../src/store/memory'
import dedupe from './dedupe'

const now = () => Date.now()
const mine = (workflowId: string) => `workflow:${workflowId}`

async function stepOf(run: RunView, nodeId: string) {
  const step = run.steps.find((s) => s.nodeId === nodeId)
  if (!step) throw new Error(`no step ${nodeId} in ${JSON.stringify(run.steps)}`)
  return step
}

describe('memory-increment', () => {
  it('counts every one of 20 concurrent runs of one workflow exactly once', async () => {
    const workflow = await createWorkflow({
      name: 'count orders',
      nodes: [{ id: 'count', type: 'memory-increment', config: { key: 'orders' } }],
    })
    const accepted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postWebhook(workflow, { order: i })),
    )
    const runs = await Promise.all(accepted.map((response) => waitForAccepted(response)))
    expect(runs.every((run) => run.status === 'succeeded')).toBe(true)
    const values = runs.map((run) => (run.output as { value: number }).value)
    expect(values.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect((await readMemory(env.DB, mine(workflow.id), 'orders', now()))?.value).toBe(20)
  })

  it('adds a templated amount, with a TTL from when the count starts', async () => {
    const workflow = await createWorkflow({
      name: 'sum',
      nodes: [
        {
          id: 'sum',
          type: 'memory-increment',
          config: { key: 'total:{{ input.day }}', amount: '{{ input.cents }}', ttlSeconds: 60 },
        },
      ],
    })
    const before = now()
    const first = await postAndWait(workflow, { day: 'mon', cents: 250 })
    const second = await postAndWait(workflow, { day: 'mon', cents: 100 })
    expect(first.output).toMatchObject({ key: 'total:mon', value: 250 })
    expect(second.output).toMatchObject({ key: 'total:mon', value: 350 })
    const expiresAt = Date.parse((second.output as { expiresAt: string }).expiresAt)
    expect(expiresAt).toBe(Date.parse((first.output as { expiresAt: string }).expiresAt))
    expect(expiresAt).toBeGreaterThanOrEqual(before + 60_000)
  })

  it('is not counted again when a resumed run reuses its step; a replay counts again', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      {
        method: 'POST',
        path: '/notify',
        responses: [{ status: 503, body: { error: 'down' } }, { body: { ok: true } }],
      },
    ])
    const workflow = await createWorkflow({
      name: 'count then notify',
      nodes: [
        { id: 'count', type: 'memory-increment', config: { key: 'signups' } },
        {
          id: 'notify',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/notify'), body: '{{ input }}' },
        },
      ],
    })
    const failed = await postAndWait(workflow, { email: 'a@example.com' })
    expect(failed.status).toBe('failed')
    expect((await stepOf(failed, 'count')).output).toMatchObject({ value: 1 })

    const resume = await admin(`/api/runs/${failed.id}/resume`, { method: 'POST' })
    const resumed = await waitForAccepted(resume)
    expect(resumed.status).toBe('succeeded')
    const count = await stepOf(resumed, 'count')
    expect(count.reusedFrom).toBe(failed.id)
    expect(count.output).toMatchObject({ value: 1 })
    expect((await readMemory(env.DB, mine(workflow.id), 'signups', now()))?.value).toBe(1)

    // A replay runs every node again: that is a second signup counted.
    const replay = await admin(`/api/runs/${failed.id}/replay`, { method: 'POST' })
    const replayed = await waitForAccepted(replay)
    expect((await stepOf(replayed, 'count')).output).toMatchObject({ value: 2 })
  })

  it('fails its step, naming the key, when the value is not a number', async () => {
    const workflow = await createWorkflow({
      name: 'count text',
      nodes: [{ id: 'count', type: 'memory-increment', config: { key: 'name' } }],
    })
    await writeMemory(env.DB, mine(workflow.id), 'name', 'Ada', {}, now())
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect((await stepOf(run, 'count')).error).toMatchObject({
      code: 'MEMORY_NOT_A_NUMBER',
      message:
        "Step 1 'count' (memory-increment) failed: " +
        'memory key "name" holds a value that is not a number, so it cannot be incremented',
    })
  })
})

describe('memory-set and memory-get', () => {
  it('remembers a value for a later run, and gives the default for a missing key', async () => {
    const setter = await createWorkflow({
      name: 'remember the last order',
      nodes: [
        {
          id: 'set',
          type: 'memory-set',
          config: { key: 'last-order', value: '{{ input.order }}', ttlSeconds: 3600 },
        },
      ],
    })
    const getter = (key: string, namespace?: string) => ({
      name: 'read it',
      nodes: [
        {
          id: 'get',
          type: 'memory-get',
          config: { key, default: { none: true }, ...(namespace ? { namespace } : {}) },
        },
      ],
    })
    const set = await postAndWait(setter, { order: { id: 'ord_1', total: 12.5 } })
    expect(set.output).toMatchObject({ key: 'last-order', value: { id: 'ord_1', total: 12.5 } })

    // The same workflow reads it back; another workflow's memory has no such key.
    const reader = await createWorkflow(getter('last-order'))
    const sameWorkflow = await admin(`/api/workflows/${setter.id}`, {
      method: 'PUT',
      json: { name: 'now read', nodes: getter('last-order').nodes },
    })
    expect(sameWorkflow.status).toBe(200)
    const got = await postAndWait(setter, {})
    expect(got.output).toMatchObject({
      key: 'last-order',
      found: true,
      value: { id: 'ord_1', total: 12.5 },
    })
    expect(Date.parse((got.output as { expiresAt: string }).expiresAt)).toBeGreaterThan(now())
    const other = await postAndWait(reader, {})
    expect(other.output).toEqual({
      key: 'last-order',
      found: false,
      value: { none: true },
      expiresAt: null,
    })
  })

  it('shares a namespace named shared:<name> between workflows', async () => {
    const name = `shared:team-${crypto.randomUUID().slice(0, 8)}`
    const writer = await createWorkflow({
      name: 'writes shared',
      nodes: [{ id: 'set', type: 'memory-set', config: { key: 'k', value: 42, namespace: name } }],
    })
    const reader = await createWorkflow({
      name: 'reads shared',
      nodes: [
        { id: 'shared', type: 'memory-get', config: { key: 'k', namespace: name } },
        { id: 'own', type: 'memory-get', config: { key: 'k' } },
      ],
    })
    await postAndWait(writer, {})
    const run = await postAndWait(reader, {})
    expect((await stepOf(run, 'shared')).output).toMatchObject({ found: true, value: 42 })
    expect((await stepOf(run, 'own')).output).toMatchObject({ found: false, value: null })
  })

  it('never returns an expired key', async () => {
    const workflow = await createWorkflow({
      name: 'reads stale',
      nodes: [{ id: 'get', type: 'memory-get', config: { key: 'stale', default: 0 } }],
    })
    // Written two seconds ago with a one-second TTL.
    await writeMemory(env.DB, mine(workflow.id), 'stale', 9, { ttlSeconds: 1 }, now() - 2000)
    const run = await postAndWait(workflow, {})
    expect(run.output).toMatchObject({ found: false, value: 0 })
  })

  it('refuses a value over 64 KiB and a key over 512 characters, naming the limit', async () => {
    const workflow = await createWorkflow({
      name: 'too big',
      onError: 'continue',
      nodes: [
        { id: 'big', type: 'memory-set', config: { key: 'big', value: '{{ input.text }}' } },
        { id: 'long', type: 'memory-set', config: { key: '{{ input.key }}', value: 1 } },
      ],
    })
    const run = await postAndWait(workflow, {
      text: 'a'.repeat(MAX_VALUE_BYTES),
      key: 'k'.repeat(513),
    })
    expect(run.status).toBe('completed_with_errors')
    expect((await stepOf(run, 'big')).error).toMatchObject({
      code: 'MEMORY_VALUE_TOO_LARGE',
      message: `Step 1 'big' (memory-set) failed: the value for memory key "big" is ${MAX_VALUE_BYTES + 2} bytes of JSON; a memory value holds at most 65536 bytes (64 KiB)`,
    })
    const long = (await stepOf(run, 'long')).error!
    expect(long.code).toBe('CONFIG_INVALID')
    expect(long.message).toContain('key: a memory key is at most 512 characters')
    expect(await readMemory(env.DB, mine(workflow.id), 'big', now())).toBeUndefined()
  })

  it('refuses to save a namespace that is not shared:<name>', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'peeks',
        nodes: [
          { id: 'get', type: 'memory-get', config: { key: 'k', namespace: 'workflow:wf_other' } },
        ],
      },
    })
    expect(response.status).toBe(400)
    expect(JSON.stringify(await response.json())).toContain('nodes.0.config.namespace')
  })
})

describe('dedupe', () => {
  async function notifyOncePerCustomer() {
    const upstream = fakeUpstream()
    await upstream.program([{ method: 'POST', path: '/notify', responses: [{ body: {} }] }])
    const workflow = await createWorkflow({
      name: 'notify once per customer per day',
      nodes: [
        {
          id: 'once',
          type: 'dedupe',
          config: { key: 'customer:{{ input.customerId }}', windowSeconds: 86400 },
        },
        {
          id: 'notify',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/notify'), body: '{{ input }}' },
        },
      ],
    })
    return { upstream, workflow }
  }

  it('lets the first run per key through and ends the later ones as duplicates', async () => {
    const { upstream, workflow } = await notifyOncePerCustomer()
    const first = await postAndWait(workflow, { customerId: 1, n: 1 })
    const second = await postAndWait(workflow, { customerId: 1, n: 2 })
    const other = await postAndWait(workflow, { customerId: 2, n: 3 })

    expect(first.status).toBe('succeeded')
    expect((await stepOf(first, 'once')).output).toEqual({ customerId: 1, n: 1 })
    expect((await stepOf(first, 'notify')).status).toBe('succeeded')

    expect(second.status).toBe('succeeded')
    const once = await stepOf(second, 'once')
    expect(once.output).toMatchObject({
      duplicate: true,
      key: 'customer:1',
      firstRunId: first.id,
    })
    const { firstSeenAt, windowEndsAt } = once.output as {
      firstSeenAt: string
      windowEndsAt: string
    }
    expect(Date.parse(windowEndsAt) - Date.parse(firstSeenAt)).toBe(86_400_000)
    expect(second.output).toEqual(once.output)
    const notify = await stepOf(second, 'notify')
    expect(notify.status).toBe('skipped')
    expect(notify.error?.message).toContain('duplicate: customer:1')

    expect(other.status).toBe('succeeded')
    expect((await stepOf(other, 'notify')).status).toBe('succeeded')
    const sent = (await upstream.received()).requests.map((r) => r.body)
    expect(sent).toEqual([
      { customerId: 1, n: 1 },
      { customerId: 2, n: 3 },
    ])
  })

  it('lets exactly one of 10 concurrent runs with one key through', async () => {
    const { upstream, workflow } = await notifyOncePerCustomer()
    const accepted = await Promise.all(
      Array.from({ length: 10 }, (_, n) => postWebhook(workflow, { customerId: 7, n })),
    )
    const runs = await Promise.all(accepted.map((response) => waitForAccepted(response)))
    const through = runs.filter((run) => run.steps[1]?.status === 'succeeded')
    expect(through).toHaveLength(1)
    expect((await upstream.received()).requests).toHaveLength(1)
  })

  it('lets the key through again once its window is over (or its key is deleted)', async () => {
    const { workflow } = await notifyOncePerCustomer()
    // Seen 25 hours ago for a day: the window is over.
    const ns = mine(workflow.id)
    await writeMemory(env.DB, ns, 'customer:9', {}, { ttlSeconds: 86400 }, now() - 25 * 3600_000)
    const afterWindow = await postAndWait(workflow, { customerId: 9 })
    expect((await stepOf(afterWindow, 'notify')).status).toBe('succeeded')

    const duplicate = await postAndWait(workflow, { customerId: 9 })
    expect((await stepOf(duplicate, 'notify')).status).toBe('skipped')
    const path = `/api/workflows/${workflow.id}/memory/${encodeURIComponent('customer:9')}`
    expect((await admin(path, { method: 'DELETE' })).status).toBe(204)
    const again = await postAndWait(workflow, { customerId: 9 })
    expect((await stepOf(again, 'notify')).status).toBe('succeeded')
  })

  it('counts its own step again (a retry, a redelivery) as the first, not as a duplicate', async () => {
    const config = { key: `redelivered-${crypto.randomUUID()}`, windowSeconds: 60 }
    // The same step of the same run twice: its mark carries the step's idempotency key.
    expect(await runNode(dedupe, config, { a: 1 })).toEqual({ a: 1 })
    expect(await runNode(dedupe, config, { a: 1 })).toEqual({ a: 1 })
    const otherRun = nodeContext(dedupe, config, {
      memory: nodeMemory(env.DB, { workflowId: 'wf-1', runId: 'run-2', by: 'run-2:step' }),
    })
    const halted = await dedupe.run({ a: 2 }, otherRun)
    expect(isHalt(halted)).toBe(true)
    expect((halted as { output: unknown }).output).toMatchObject({
      duplicate: true,
      firstRunId: 'run-1',
    })
  })
})

describe('README recipe: notify once per customer per day', () => {
  it('tells Slack about each customer once a day, counting the customers', async () => {
    const slack = fakeApp('slack')
    const credential = await createCredential('slack-webhook', {
      url: slack.url('/services/T0001/B0002/recipe'),
    })
    // As in README "Memory between runs", with the test's credential name.
    const workflow = await createWorkflow({
      name: 'First order of the day to Slack',
      nodes: [
        {
          id: 'once',
          type: 'dedupe',
          config: {
            key: 'notified:{{ input.customer.id }}:{{ $substring($now(), 0, 10) }}',
            windowSeconds: 86400,
          },
        },
        {
          id: 'count',
          type: 'memory-increment',
          config: {
            key: 'customers-today:{{ $substring($now(), 0, 10) }}',
            ttlSeconds: 172800,
          },
        },
        {
          id: 'notify',
          type: 'slack-message',
          config: {
            credential,
            text: '{{ run.input.customer.name }} ordered for the first time today (customer {{ steps.count.output.value }} of the day)',
          },
        },
      ],
    })
    const ada = { customer: { id: 'c1', name: 'Ada' } }
    const grace = { customer: { id: 'c2', name: 'Grace' } }
    const runs = []
    for (const order of [ada, ada, grace]) runs.push(await postAndWait(workflow, order))
    expect(runs.map((run) => run.status)).toEqual(['succeeded', 'succeeded', 'succeeded'])
    expect(runs[1]!.output).toMatchObject({ duplicate: true, firstRunId: runs[0]!.id })
    expect(runs[1]!.steps.map((step) => step.status)).toEqual(['succeeded', 'skipped', 'skipped'])
    const texts = (await slack.received()).requests.map((r) => (r.body as { text: string }).text)
    expect(texts).toEqual([
      'Ada ordered for the first time today (customer 1 of the day)',
      'Grace ordered for the first time today (customer 2 of the day)',
    ])
  })
})
