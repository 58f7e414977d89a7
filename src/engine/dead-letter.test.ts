import { describe, expect, it } from 'vitest'
import type { RunMessage } from '../store/run-model'
import { DEAD_LETTER_QUEUE, deliver, getRun } from '../../test/helpers'
import { seedRun, startMessage, storeWorkflow } from '../../test/engine-fixtures'

const deadLetter = (body: RunMessage) => deliver([body], { queue: DEAD_LETTER_QUEUE, attempts: 6 })

describe('dead-letter queue', () => {
  it('marks a run whose message was dead-lettered as failed, with the reason', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }],
    })
    const message = startMessage(workflowId, { x: 1 })
    // The ingest path had recorded the run as queued.
    await seedRun(message, { status: 'queued' })

    const result = await deadLetter(message)
    expect(result.explicitAcks).toEqual(result.ids)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.error).toMatchObject({ code: 'DEAD_LETTERED' })
    expect(run.error!.message).toContain('6 deliveries')
  })

  it('creates the failed run when the ingest path never recorded it, so it is not lost', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }],
    })
    const message = startMessage(workflowId, { kept: true })
    await deadLetter(message)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.input).toEqual({ kept: true })
  })

  it('leaves a finished run as it is', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }],
    })
    const message = startMessage(workflowId, {})
    await seedRun(message, { status: 'succeeded', finishedAt: Date.now() })
    await deadLetter(message)
    expect((await getRun(message.runId)).status).toBe('succeeded')
  })
})

describe('dead-letter queue and live runs', () => {
  it('does not fail a run that a live consumer is working on (the dead message was a duplicate)', async () => {
    const workflowId = await storeWorkflow({
      nodes: [{ id: 'a', type: 'transform', config: { expression: '1' } }],
    })
    const message = startMessage(workflowId, {})
    await seedRun(message, { status: 'running', leaseId: 'live', leaseUntil: Date.now() + 60_000 })
    await deadLetter(message)
    expect((await getRun(message.runId)).status).toBe('running')
  })
})
