import { describe, expect, it } from 'vitest'
import { createWorkflow, postWebhook, waitForRun } from '../../test/helpers'

describe('expression limits in a run and at ingest', () => {
  it('fails a runaway transform step with EXPRESSION_LIMIT and finishes the run', async () => {
    const workflow = await createWorkflow({
      name: 'runaway',
      nodes: [
        { id: 'boom', type: 'transform', config: { expression: '[1..400000].[1..400000]' } },
        { id: 'after', type: 'transform', config: { expression: '"never"' } },
      ],
    })
    const response = await postWebhook(workflow, {})
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.status).toBe('failed')
    expect(run.steps[0]).toMatchObject({
      nodeId: 'boom',
      status: 'failed',
      attempts: 1,
      error: { code: 'EXPRESSION_LIMIT', message: expect.stringMatching(/evaluation steps/) },
    })
  })

  it('bounds trigger.dedupe.path while the sender waits: the delivery is accepted undeduped', async () => {
    const workflow = await createWorkflow({
      name: 'runaway dedupe path',
      trigger: { type: 'webhook', dedupe: { path: '[1..400000].[1..400000]' } },
      nodes: [{ id: 'echo', type: 'transform', config: { expression: 'id' } }],
    })
    const first = await postWebhook(workflow, { id: 'evt_1' })
    const second = await postWebhook(workflow, { id: 'evt_1' })
    expect([first.status, second.status]).toEqual([202, 202])
    const run = await waitForRun(((await first.json()) as { runId: string }).runId)
    expect(run.output).toBe('evt_1')
  })
})
