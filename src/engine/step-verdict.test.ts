import { describe, expect, it } from 'vitest'
import type { WorkflowDefinition } from '../workflow/definition'
import { judgeStep } from './step-verdict'

const workflow = (onError: 'stop' | 'continue', nodeOnError?: 'stop' | 'continue') =>
  ({
    name: 'w',
    enabled: true,
    trigger: { type: 'webhook' },
    onError,
    nodes: [
      { id: 'a', type: 'transform', config: {}, onError: nodeOnError },
      { id: 'b', type: 'transform', config: {}, name: 'Bee' },
    ],
  }) as WorkflowDefinition

const ok = { kind: 'succeeded', output: 1, outputText: '1', attempts: 1 } as const
const failed = { kind: 'failed', error: { message: 'boom', code: 'X' }, attempts: 2 } as const

describe('judgeStep', () => {
  it('goes on after a success that is not the last node', () => {
    expect(judgeStep(workflow('stop'), 0, ok, 0)).toEqual({ error: null, failures: 0, end: null })
  })

  it('ends succeeded after the last node, or completed_with_errors when one failed before', () => {
    expect(judgeStep(workflow('stop'), 1, ok, 0).end).toEqual({ status: 'succeeded', error: null })
    expect(judgeStep(workflow('continue'), 1, ok, 1).end).toMatchObject({
      status: 'completed_with_errors',
      error: { code: 'STEPS_FAILED' },
    })
  })

  it('ends the run at a halt and skips the rest, keeping earlier failures in the status', () => {
    const halted = { ...ok, halted: 'condition is false' }
    expect(judgeStep(workflow('stop'), 0, halted, 0).end).toEqual({
      status: 'succeeded',
      error: null,
      skipReason: 'condition is false',
    })
    expect(judgeStep(workflow('continue'), 0, halted, 1).end?.status).toBe('completed_with_errors')
  })

  it('fails the run under stop, naming the node, and skips the rest', () => {
    const verdict = judgeStep(workflow('stop'), 1, failed, 0)
    expect(verdict.error).toEqual({
      message: 'Step 2 \'b\' (transform, "Bee") failed: boom',
      code: 'X',
    })
    expect(verdict.end).toEqual({
      status: 'failed',
      error: { ...verdict.error, step: { index: 1, id: 'b', type: 'transform', name: 'Bee' } },
      skipReason: "step 2 ('b') failed",
    })
  })

  it('lets a node override the workflow either way', () => {
    expect(judgeStep(workflow('stop', 'continue'), 0, failed, 0).end).toBeNull()
    expect(judgeStep(workflow('continue', 'stop'), 0, failed, 0).end?.status).toBe('failed')
  })

  it('counts failures under continue', () => {
    expect(judgeStep(workflow('continue'), 0, failed, 2).failures).toBe(3)
  })
})
