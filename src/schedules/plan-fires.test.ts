import { describe, expect, it } from 'vitest'
import { parseCron } from './cron'
import { MAX_CATCH_UP, planFires } from './plan-fires'

const hourly = parseCron('0 * * * *', 'UTC')
const at = (iso: string) => Date.parse(iso)

describe('planFires', () => {
  it('fires a time seen on time once, whatever catchUp says', () => {
    for (const catchUp of ['none', 'once', 'all'] as const) {
      const plan = planFires(
        hourly,
        catchUp,
        at('2026-11-27T08:00:00Z'),
        at('2026-11-27T08:00:20Z'),
      )
      expect(plan).toEqual({
        fires: [{ scheduledAt: at('2026-11-27T08:00:00Z') }],
        next: at('2026-11-27T09:00:00Z'),
        skipped: 0,
      })
    }
  })

  it('once: one run for all missed times, standing for the latest and naming the first', () => {
    const plan = planFires(hourly, 'once', at('2026-11-27T08:00:00Z'), at('2026-11-27T11:30:00Z'))
    expect(plan).toEqual({
      fires: [{ scheduledAt: at('2026-11-27T11:00:00Z'), missedSince: at('2026-11-27T08:00:00Z') }],
      next: at('2026-11-27T12:00:00Z'),
      skipped: 0,
    })
  })

  it('none: a missed time is skipped, and the next one is kept', () => {
    const plan = planFires(hourly, 'none', at('2026-11-27T08:00:00Z'), at('2026-11-27T11:30:00Z'))
    expect(plan).toEqual({ fires: [], next: at('2026-11-27T12:00:00Z'), skipped: 4 })
  })

  it('none: a time 120 s late is on time and runs; 120.001 s or 121 s late is skipped', () => {
    const dueAt = at('2026-11-27T08:00:00Z')
    const next = at('2026-11-27T09:00:00Z')
    expect(planFires(hourly, 'none', dueAt, dueAt + 120_000)).toEqual({
      fires: [{ scheduledAt: dueAt }],
      next,
      skipped: 0,
    })
    for (const late of [120_001, 121_000]) {
      expect(planFires(hourly, 'none', dueAt, dueAt + late)).toEqual({
        fires: [],
        next,
        skipped: 1,
      })
    }
  })

  it('none: every on-time time runs, not only the latest (a tick 61 s late after a restart)', () => {
    const everyMinute = parseCron('* * * * *', 'UTC')
    const plan = planFires(
      everyMinute,
      'none',
      at('2026-11-27T10:00:00Z'),
      at('2026-11-27T10:01:01Z'),
    )
    expect(plan).toEqual({
      fires: [
        { scheduledAt: at('2026-11-27T10:00:00Z') },
        { scheduledAt: at('2026-11-27T10:01:00Z') },
      ],
      next: at('2026-11-27T10:02:00Z'),
      skipped: 0,
    })
  })

  it('none: of several due times, those more than 120 s late are skipped and the rest run', () => {
    const everyMinute = parseCron('* * * * *', 'UTC')
    const plan = planFires(
      everyMinute,
      'none',
      at('2026-11-27T10:00:00Z'),
      at('2026-11-27T10:03:00Z'),
    )
    // 10:00 is 180 s late; 10:01 exactly 120 s, 10:02 60 s and 10:03 0 s.
    expect(plan).toEqual({
      fires: [
        { scheduledAt: at('2026-11-27T10:01:00Z') },
        { scheduledAt: at('2026-11-27T10:02:00Z') },
        { scheduledAt: at('2026-11-27T10:03:00Z') },
      ],
      next: at('2026-11-27T10:04:00Z'),
      skipped: 1,
    })
  })

  it('all: one run per missed time, oldest first', () => {
    const plan = planFires(hourly, 'all', at('2026-11-27T08:00:00Z'), at('2026-11-27T10:00:00Z'))
    expect(plan.fires.map((f) => new Date(f.scheduledAt).toISOString())).toEqual([
      '2026-11-27T08:00:00.000Z',
      '2026-11-27T09:00:00.000Z',
      '2026-11-27T10:00:00.000Z',
    ])
  })

  it(`all: at most ${MAX_CATCH_UP} runs, the latest ones`, () => {
    const everyMinute = parseCron('* * * * *', 'UTC')
    const plan = planFires(
      everyMinute,
      'all',
      at('2026-11-27T00:00:00Z'),
      at('2026-11-27T05:00:00Z'),
    )
    expect(plan.fires).toHaveLength(MAX_CATCH_UP)
    expect(plan.fires.at(-1)!.scheduledAt).toBe(at('2026-11-27T05:00:00Z'))
    expect(plan.fires[0]!.scheduledAt).toBe(at('2026-11-27T03:21:00Z'))
    expect(plan.skipped).toBeGreaterThan(0)
  })

  it('follows the time zone, daylight saving included', () => {
    const berlin = parseCron('0 8 * * *', 'Europe/Berlin')
    // 08:00 in Berlin is 07:00 UTC in winter, 06:00 UTC in summer.
    expect(
      planFires(berlin, 'once', at('2026-11-27T07:00:00Z'), at('2026-11-27T07:00:05Z')).next,
    ).toBe(at('2026-11-28T07:00:00Z'))
    expect(
      planFires(berlin, 'once', at('2026-07-01T06:00:00Z'), at('2026-07-01T06:00:05Z')).next,
    ).toBe(at('2026-07-02T06:00:00Z'))
  })
})
