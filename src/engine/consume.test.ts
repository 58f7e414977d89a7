import { afterEach, describe, expect, it, vi } from 'vitest'
import { deliver, getRun } from '../../test/helpers'
import { startMessage, storeWorkflow } from '../../test/engine-fixtures'

afterEach(() => vi.restoreAllMocks())

describe('the runs queue consumer', () => {
  it.each([
    ['null', null],
    ['a string', 'run me'],
    ['an object without a runId', { v: 1 }],
    ['a runId that is not a string', { v: 1, runId: 42 }],
  ])('acks and logs a malformed message (%s) instead of retrying it for ever', async (_, body) => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})
    const result = await deliver([body])
    expect(result.explicitAcks).toEqual(result.ids)
    expect(result.retryMessages).toEqual([])
    const logged = errors.mock.calls.map((call) => String(call[0]))
    expect(logged.some((line) => line.includes('message_malformed'))).toBe(true)
  })

  it('fails a run whose workflow version does not exist with WORKFLOW_VERSION_MISSING', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }],
    })
    const message = startMessage(workflowId, {}, 99)
    const result = await deliver([message])
    expect(result.explicitAcks).toEqual(result.ids)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'WORKFLOW_VERSION_MISSING' })
    expect(run.error!.message).toContain('version 99')
    expect(run.steps).toEqual([])
  })
})
