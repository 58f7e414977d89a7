import { describe, expect, it } from 'vitest'
import { createWorkflow, fakeUpstream, getRun, postWebhook, waitForRun } from '../helpers'

describe('webhook → queue → engine → D1', () => {
  it('answers 202 and runs every node in order, each getting the previous output', async () => {
    const upstream = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'signup',
      nodes: [
        {
          id: 'shape',
          type: 'transform',
          config: { expression: '{ "text": "New signup: " & email, "plan": plan }' },
        },
        { id: 'only-paid', type: 'filter', config: { condition: 'plan = "pro"' } },
        {
          id: 'notify',
          type: 'http-request',
          name: 'Tell the team',
          config: { method: 'POST', url: upstream.url('/hook') },
        },
      ],
    })

    const response = await postWebhook(workflow, { email: 'ada@example.com', plan: 'pro' })
    expect(response.status).toBe(202)
    const accepted = (await response.json()) as { runId: string; statusUrl: string }
    expect(response.headers.get('location')).toBe(accepted.statusUrl)
    expect(accepted.statusUrl).toMatch(new RegExp(`/api/runs/${accepted.runId}$`))

    const run = await waitForRun(accepted.runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => [s.index, s.nodeId, s.status])).toEqual([
      [0, 'shape', 'succeeded'],
      [1, 'only-paid', 'succeeded'],
      [2, 'notify', 'succeeded'],
    ])
    expect(run.steps[0]!.input).toEqual({ email: 'ada@example.com', plan: 'pro' })
    expect(run.steps[0]!.output).toEqual({ text: 'New signup: ada@example.com', plan: 'pro' })
    for (let i = 1; i < run.steps.length; i++)
      expect(run.steps[i]!.input).toEqual(run.steps[i - 1]!.output)
    expect(run.output).toEqual(run.steps[2]!.output)

    const { requests } = await upstream.received()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/hook',
      body: { text: 'New signup: ada@example.com', plan: 'pro' },
    })
    expect(requests[0]!.headers['content-type']).toBe('application/json')
  })

  it('ends succeeded at a false filter and records the rest as skipped', async () => {
    const upstream = fakeUpstream()
    const workflow = await createWorkflow({
      name: 'filtered',
      nodes: [
        { id: 'only-paid', type: 'filter', config: { condition: 'plan = "pro"' } },
        {
          id: 'notify',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/hook') },
        },
      ],
    })
    const { runId } = (await (await postWebhook(workflow, { plan: 'free' })).json()) as {
      runId: string
    }
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'skipped'])
    expect((await upstream.received()).requests).toHaveLength(0)
    expect((await getRun(runId)).output).toEqual({ plan: 'free' })
  })
})
