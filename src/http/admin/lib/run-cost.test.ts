import { describe, expect, it } from 'vitest'
import { prices } from '../../../lib/list-prices.mjs'
import { estimateRunCost } from './run-cost'

describe('estimateRunCost', () => {
  it('is zero for no runs', () => {
    expect(estimateRunCost(0, 0).usd).toBe(0)
  })

  it('prices a million 5-step runs like the bench does (10 rows written each)', () => {
    const { usd, lines, pricesReadOn } = estimateRunCost(1_000_000, 5_000_000)
    expect(lines.d1RowsWritten).toBeCloseTo(10 * prices.d1.usdPerMillionRowsWritten)
    expect(lines.requests).toBeCloseTo(2 * prices.workers.usdPerMillionRequests)
    expect(lines.queues).toBeCloseTo(3 * prices.queues.usdPerMillionOps)
    expect(usd).toBeCloseTo(11.83, 1)
    expect(pricesReadOn).toBe(prices.readOn)
  })
})
