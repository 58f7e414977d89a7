import { describe, expect, it } from 'vitest'
import { createWorkflow, postWebhook, waitForRun } from '../../test/helpers'
import { MAX_OUTPUT_CHARS } from './run-node'

describe('step output cap', () => {
  it('fails a step whose output is larger than a step may store, without retrying it', async () => {
    const half = MAX_OUTPUT_CHARS / 2 + 1
    const workflow = await createWorkflow({
      name: 'huge output',
      nodes: [
        {
          id: 'huge',
          type: 'transform',
          // Two halves: one JSONata string may not pass 5,000,000 characters.
          config: { expression: `{ "a": $pad("", ${half}, "x"), "b": $pad("", ${half}, "y") }` },
          retry: { maxAttempts: 3, delayMs: 0 },
        },
      ],
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    const run = await waitForRun(runId, 30_000)
    expect(run.status).toBe('failed')
    expect(run.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      output: null,
      error: { code: 'OUTPUT_TOO_LARGE', details: { limit: MAX_OUTPUT_CHARS } },
    })
  })
})
