import { describe, expect, it } from 'vitest'
import { resumePoint, type RecordedStep } from './resume-point'

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
