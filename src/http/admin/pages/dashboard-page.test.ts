import { describe, expect, it } from 'vitest'
import { createWorkflow, postWebhook, waitForRun } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'

describe('dashboard', () => {
  it('charts runs per hour with the success rate, durations and the cost of 24 h', async () => {
    const workflow = await createWorkflow({
      name: 'Charted',
      nodes: [
        { id: 'check', type: 'filter', config: { condition: 'ok' } },
        { id: 'fail', type: 'transform', config: { expression: '$error("bad")' } },
      ],
    })
    for (const ok of [true, false, false]) {
      const { runId } = (await (await postWebhook(workflow, { ok })).json()) as { runId: string }
      await waitForRun(runId)
    }
    const { status, html } = await (await signedIn()).page('/admin')
    expect(status).toBe(200)
    const stat = (label: string) =>
      new RegExp(`<p class="label">${label}</p><div class="value">([^<]*)</div>`).exec(html)?.[1]
    expect(Number(stat('Runs, 24 h'))).toBeGreaterThanOrEqual(3)
    expect(stat('Success rate')).toMatch(/^\d+(\.\d)?%$/)
    expect(stat('p50 duration')).toMatch(/ms|s$/)
    expect(stat('p95 duration')).toMatch(/ms|s$/)
    expect(stat('Cost, 24 h')).toMatch(/^\$\d+\.\d+$/)
    expect(html).toContain('list prices of 2026-11-26')
    // The chart: an accessible inline SVG, bars for this hour, and no script needed.
    expect(html).toContain('<svg class="chart" viewBox="0 0 720 180" role="img"')
    expect(html).toContain('<title id="chart-title">Runs per hour over the last 24 hours')
    expect(html).toMatch(/<rect class="ok" /)
    expect(html).toMatch(/<rect class="bad" /)
    expect(html.match(/<g><title>/g)).toHaveLength(24)
    expect(html).toContain('<h2>Latest runs</h2>')
  })
})
