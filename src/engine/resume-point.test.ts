import { describe, expect, it } from 'vitest'
import { getNode } from '../nodes/registry'
import type { WorkflowNode } from '../workflow/definition'
import type { RecordedStep } from '../store/run-source'
import { resumePoint, rewindToLinkSender } from './resume-point'

const step = (index: number, status: string, hasError = false): RecordedStep => ({
  index,
  status,
  hasError,
})

describe('resumePoint', () => {
  it('starts at the first failed step, reusing the succeeded and skipped ones before it', () => {
    const steps = [step(0, 'succeeded'), step(1, 'skipped'), step(2, 'failed'), step(3, 'skipped')]
    expect(resumePoint({ id: 'r', status: 'failed' }, steps, 4)).toEqual({ ok: true, from: 2 })
  })

  it('counts a forEach that went on past failed elements as the failed step', () => {
    const steps = [step(0, 'succeeded'), step(1, 'succeeded', true), step(2, 'failed')]
    const point = resumePoint({ id: 'r', status: 'completed_with_errors' }, steps, 3)
    expect(point).toEqual({ ok: true, from: 1 })
  })

  it('starts at the first step not recorded when the run failed between steps', () => {
    expect(resumePoint({ id: 'r', status: 'failed' }, [step(0, 'succeeded')], 3)).toEqual({
      ok: true,
      from: 1,
    })
    expect(resumePoint({ id: 'r', status: 'failed' }, [], 2)).toEqual({ ok: true, from: 0 })
  })

  it('refuses a run that has not ended badly, or has nothing left to run', () => {
    for (const status of ['queued', 'running']) {
      expect(resumePoint({ id: 'r', status }, [], 1)).toEqual({
        ok: false,
        reason: `Run r cannot be resumed: it is ${status} and has not ended yet`,
      })
    }
    expect(resumePoint({ id: 'r', status: 'succeeded' }, [step(0, 'succeeded')], 1)).toEqual({
      ok: false,
      reason:
        'Run r cannot be resumed: it succeeded, so there is nothing to resume (replay it instead)',
    })
    expect(resumePoint({ id: 'r', status: 'failed' }, [step(0, 'succeeded')], 1)).toEqual({
      ok: false,
      reason: 'Run r cannot be resumed: every one of its 1 steps is recorded and none failed',
    })
  })
})

describe('rewindToLinkSender', () => {
  const set = (id: string, text: string): WorkflowNode => ({
    id,
    type: 'set',
    config: { fields: { text } },
  })
  const wait = (id: string): WorkflowNode => ({ id, type: 'wait-for-webhook', config: {} })
  const nodes = [
    set('intro', 'hello'),
    set('ask', 'Approve? {{ run.resumeUrl }}'),
    set('note', 'sent'),
    wait('approval'),
    set('ask-again', 'Sure? {{ run.resumeUrl }}'),
    set('remind', 'Still sure? {{ run.resumeUrl }}'),
    wait('confirm'),
    set('done', 'ok'),
  ]

  it('moves a resume at a wait back to the first step that sent its link', () => {
    expect(rewindToLinkSender(nodes, 3, getNode)).toBe(1)
    // Only the senders after the previous wait: their links name the second one.
    expect(rewindToLinkSender(nodes, 6, getNode)).toBe(4)
  })

  it('leaves a resume at any other step, or at a wait no step links to, where it is', () => {
    expect(rewindToLinkSender(nodes, 7, getNode)).toBe(7)
    expect(rewindToLinkSender(nodes, 2, getNode)).toBe(2)
    expect(rewindToLinkSender([set('a', 'x'), wait('w')], 1, getNode)).toBe(1)
  })
})
