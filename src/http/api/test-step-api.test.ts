import { describe, expect, it } from 'vitest'
import { fakeApp } from '../../../test/apps'
import { createCredential } from '../../../test/credentials'
import { admin, createWorkflow } from '../../../test/helpers'

async function testStep(workflowId: string, body: unknown) {
  const response = await admin(`/api/workflows/${workflowId}/test-step`, {
    method: 'POST',
    json: body,
  })
  return { status: response.status, body: (await response.json()) as any }
}

async function runsOf(workflowId: string) {
  const response = await admin(`/api/runs?workflowId=${workflowId}`)
  return ((await response.json()) as any).runs as unknown[]
}

describe('POST /api/workflows/:id/test-step', () => {
  it('runs one Discord step alone from the sample: one request, its output, and no run', async () => {
    const discord = fakeApp('discord')
    const credential = await createCredential('discord-webhook', {
      url: discord.url('/api/webhooks/5566/test-step-token'),
    })
    const workflow = await createWorkflow({
      name: 'Test one step',
      nodes: [
        { id: 'shape', type: 'set', config: { fields: { who: '{{ input.name }}' } } },
        {
          id: 'notify',
          type: 'discord-message',
          config: { credential, content: 'New signup: {{ input.who }} ({{ run.input.plan }})' },
        },
      ],
    })
    const { status, body } = await testStep(workflow.id, {
      nodeId: 'notify',
      sample: { input: { name: 'Ada', plan: 'pro' }, steps: { shape: { output: { who: 'Ada' } } } },
    })
    expect(status).toBe(200)
    expect(body).toEqual({
      config: {
        credential,
        content: 'New signup: Ada (pro)',
      },
      output: {
        id: expect.stringMatching(/^\d+$/),
        channelId: expect.any(String),
        timestamp: expect.any(String),
      },
      durationMs: expect.any(Number),
      testId: expect.any(String),
    })
    const { requests } = await discord.received()
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/webhooks/5566/test-step-token',
      body: { content: body.config.content },
    })
    expect(await runsOf(workflow.id)).toEqual([])
  })

  it("answers a failing step's error, and a template error with no config", async () => {
    const workflow = await createWorkflow({
      name: 'Failing step',
      nodes: [
        { id: 'charge', type: 'transform', config: { expression: '$error("card declined")' } },
        { id: 'greet', type: 'set', config: { fields: { who: '{{ input.nosuch }}' } } },
      ],
    })
    const failed = await testStep(workflow.id, { nodeId: 'charge', sample: { input: {} } })
    expect(failed.status).toBe(200)
    expect(failed.body).toEqual({
      config: { expression: '$error("card declined")' },
      error: {
        code: 'EXPRESSION_FAILED',
        message: 'JSONata evaluation failed: card declined',
        details: expect.anything(),
      },
      durationMs: expect.any(Number),
      testId: expect.any(String),
    })
    const template = await testStep(workflow.id, {
      nodeId: 'greet',
      sample: { input: {}, steps: { charge: { output: {} } } },
    })
    expect(template.body.config).toBeNull()
    expect(template.body.error).toMatchObject({
      code: 'TEMPLATE_FAILED',
      message:
        'Template {{ input.nosuch }} in config.fields.who failed: it reads a missing value (nothing matched)',
    })
    expect(await runsOf(workflow.id)).toEqual([])
  })

  it('takes the pinned payload when no sample is sent, and an unsaved definition when one is', async () => {
    const workflow = await createWorkflow({
      name: 'Pinned test',
      nodes: [{ id: 'a', type: 'set', config: { fields: { who: '{{ input.name }}' } } }],
    })
    await admin(`/api/workflows/${workflow.id}/sample`, {
      method: 'PUT',
      json: { input: { name: 'Pinned Ada' } },
    })
    expect((await testStep(workflow.id, { nodeId: 'a' })).body.output).toEqual({
      who: 'Pinned Ada',
    })
    const draft = {
      name: 'Pinned test',
      nodes: [{ id: 'a', type: 'set', config: { fields: { greeting: 'Hi {{ input.name }}' } } }],
    }
    const answer = await testStep(workflow.id, { nodeId: 'a', definition: draft })
    expect(answer.body.output).toEqual({ greeting: 'Hi Pinned Ada' })
  })

  it('refuses an unknown node, a node that pauses its run, and an unknown workflow', async () => {
    const workflow = await createWorkflow({
      name: 'Refusals',
      nodes: [{ id: 'wait', type: 'delay', config: { seconds: 1 } }],
    })
    const unknown = await testStep(workflow.id, { nodeId: 'nosuch' })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.details).toEqual([
      { path: 'nodeId', message: "no node 'nosuch' in this workflow" },
    ])
    const paused = await testStep(workflow.id, { nodeId: 'wait' })
    expect(paused.status).toBe(400)
    expect(paused.body.error.details[0].message).toBe(
      "a 'delay' node pauses its run, so it cannot be tested alone",
    )
    expect((await testStep('wf_nosuch', { nodeId: 'a' })).status).toBe(404)
  })
})
