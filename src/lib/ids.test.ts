import { describe, expect, it } from 'vitest'
import { uuidv7 } from './ids'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidv7', () => {
  it('is a version 7, variant 10 UUID carrying the given millisecond', () => {
    const id = uuidv7(Date.UTC(2026, 0, 2, 3, 4, 5, 678))
    expect(id).toMatch(UUID_V7)
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678))
  })

  it('is strictly increasing for ids made in the same millisecond', () => {
    const now = Date.now() + 60_000
    const ids = Array.from({ length: 5000 }, () => uuidv7(now))
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    ids.forEach((id) => expect(id).toMatch(UUID_V7))
  })

  it('keeps increasing when the clock steps back', () => {
    const later = Date.now() + 120_000
    const first = uuidv7(later)
    const second = uuidv7(later - 5_000)
    expect(second > first).toBe(true)
  })
})
