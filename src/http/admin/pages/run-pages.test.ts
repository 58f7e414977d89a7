import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BIG_BUDGET, holdingQueue, seedRun, startMessage } from '../../../../test/engine-fixtures'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postWebhook,
  waitForRun,
} from '../../../../test/helpers'
import { runWorkflow } from '../../../engine/run-workflow'
import { uuidv7 } from '../../../lib/ids'
import { runIdFloor } from '../../../store/run-ids'
import { signedIn } from '../../../../test/admin-session'

async function runOf(workflow: { webhookUrl: string }, payload: unknown) {
  const { runId } = (await (await postWebhook(workflow, payload)).json()) as { runId: string }
  return waitForRun(runId)
}

const steps = (html: string) =>
  [...html.matchAll(/<li class="step status-(\w+)" id="step-(\d+)">([\s\S]*?)<\/li>/g)].map(
    (m) => ({ status: m[1], number: m[2], html: m[3]! }),
  )

const order = (name: string) =>
  createWorkflow({
    name,
    nodes: [
      { id: 'total', type: 'transform', config: { expression: '{ "total": $sum(items) }' } },
      { id: 'big', type: 'filter', name: 'Only big', config: { condition: 'total >= 100' } },
      { id: 'thanks', type: 'transform', config: { expression: '{ "text": "Thanks" }' } },
      { id: 'charge', type: 'transform', config: { expression: '$error("card declined")' } },
    ],
  })

describe('run pages', () => {
  it('shows a timeline numbered from 1 with status, attempts, duration bar and open payloads', async () => {
    const workflow = await order('Timeline')
    const run = await runOf(workflow, { items: [60, 55] })
    const { html } = await (await signedIn()).page(`/admin/runs/${run.id}`)
    const shown = steps(html)
    expect(shown.map((s) => [s.number, s.status])).toEqual([
      ['1', 'succeeded'],
      ['2', 'succeeded'],
      ['3', 'succeeded'],
      ['4', 'failed'],
    ])
    expect(shown[1]!.html).toContain('<strong class="step-title">Only big</strong>')
    expect(shown[1]!.html).toContain('<code>big</code>')
    expect(shown[0]!.html).toContain('1 attempt · ')
    expect(shown[0]!.html).toMatch(
      /<div class="bar"[^>]*><span style="left: [\d.]+%; width: [\d.]+%"/,
    )
    // Small payloads are open and pretty-printed.
    expect(shown[0]!.html).toContain(
      '<details open="" id="step-1-output"><summary>Output</summary><pre>{\n  &quot;total&quot;: 115\n}</pre>',
    )
    expect(html).not.toContain('http-equiv="refresh"')
    expect(html).not.toContain('data-live=""')
  })

  it('says the error once: a link at the top, the reason at the failed step', async () => {
    const workflow = await order('Declined')
    const run = await runOf(workflow, { items: [100] })
    expect(run.status).toBe('failed')
    const { html } = await (await signedIn()).page(`/admin/runs/${run.id}`)
    expect(html).toContain('Failed at <a href="#step-4">step 4 (charge)</a>')
    const failed = steps(html)[3]!
    expect(failed.html).toContain(
      '<div class="error-box" role="alert"><strong>EXPRESSION_FAILED: </strong>JSONata evaluation failed: card declined</div>',
    )
    expect(html.match(/evaluation failed: card declined/g)).toHaveLength(1)
    expect(html).not.toContain('Step 4 &#39;charge&#39;')
  })

  it('marks a run a filter ended early, at the top and at the step', async () => {
    const workflow = await order('Small order')
    const run = await runOf(workflow, { items: [5] })
    expect(run.status).toBe('succeeded')
    const { html } = await (await signedIn()).page(`/admin/runs/${run.id}`)
    expect(html).toContain('<span class="badge badge-early">ended early</span>')
    expect(html).toContain(
      'A node ended this run early: <a href="#step-2">step 2 (big)</a>, condition is false: total &gt;= 100. 2 steps did not run.',
    )
    const shown = steps(html)
    expect(shown[1]!.html).toContain('<span class="badge badge-early">ended the run</span>')
    expect(shown.slice(2).map((s) => s.status)).toEqual(['skipped', 'skipped'])
    expect(shown[2]!.html).toContain('not run')
    expect(shown[2]!.html).not.toContain('<details')
  })

  it('follows a run in progress: live region, and a refresh for pages without scripts', async () => {
    const workflow = await createWorkflow({
      name: 'Still queued',
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    const message = { ...startMessage(workflow.id, { x: 1 }), runId: uuidv7() }
    await seedRun(message, { status: 'queued' })
    const session = await signedIn()
    const { html } = await session.page(`/admin/runs/${message.runId}`)
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="2"/></noscript>')
    expect(html).toContain('<div id="run" data-live="">')
    expect(html).toContain('badge badge-queued')
    const list = await session.page(`/admin/runs?workflowId=${workflow.id}`)
    expect(list.html).toMatch(/<section class="card" id="runs" data-live=""/)
  })

  it('lists runs filtered by workflow, status and time, with a failed run’s error line', async () => {
    const a = await order('Filter A')
    const b = await order('Filter B')
    const okA = await runOf(a, { items: [1] })
    const failedA = await runOf(a, { items: [500] })
    const okB = await runOf(b, { items: [1] })
    const session = await signedIn()

    const all = await session.page('/admin/runs')
    for (const run of [okA, failedA, okB]) expect(all.html).toContain(run.id)
    expect(all.html).toContain(
      '<span class="error-line" title="Step 4 (charge): JSONata evaluation failed: card declined">',
    )

    const onlyA = await session.page(`/admin/runs?workflowId=${a.id}`)
    expect(onlyA.html).toContain(okA.id)
    expect(onlyA.html).not.toContain(okB.id)
    expect(onlyA.html).toContain(`<option value="${a.id}" selected="">Filter A</option>`)

    const failed = await session.page(`/admin/runs?workflowId=${a.id}&status=failed`)
    expect(failed.html).toContain(failedA.id)
    expect(failed.html).not.toContain(okA.id)

    const recent = await session.page('/admin/runs?since=1h')
    expect(recent.html).toContain(okB.id)
    expect(recent.html).toContain('<option value="1h" selected="">last hour</option>')

    // An old run is outside "last hour" but inside "last 7 days".
    // uuidv7() never goes back in time, so the old id is made from its time prefix by hand.
    const oldId = `${runIdFloor(Date.now() - 3 * 3_600_000)}-7000-8000-000000000001`
    const old = { ...startMessage(a.id, {}), runId: oldId }
    await seedRun(old, { status: 'succeeded', at: Date.now() - 3 * 3_600_000 })
    expect((await session.page('/admin/runs?since=1h')).html).not.toContain(old.runId)
    expect((await session.page('/admin/runs?since=7d')).html).toContain(old.runId)

    const bogus = await session.page('/admin/runs?status=bogus&since=forever')
    expect(bogus.status).toBe(200)
    expect(bogus.html).toContain(okA.id)
  })

  it('says when a step waits for a delayed retry, and why', async () => {
    const upstream = fakeUpstream()
    await upstream.program([
      { path: '/busy', responses: [{ status: 503, body: { message: 'try later' } }] },
    ])
    const workflow = await createWorkflow({
      name: 'Waits',
      nodes: [
        {
          id: 'call',
          type: 'http-request',
          config: { method: 'POST', url: upstream.url('/busy') },
          retry: { maxAttempts: 3, delayMs: 60_000 },
        },
      ],
    })
    const message = startMessage(workflow.id, {})
    await runWorkflow({ db: env.DB, queue: holdingQueue().queue }, message, BIG_BUDGET)
    const { html } = await (await signedIn()).page(`/admin/runs/${message.runId}`)
    expect(html).toContain('Step 1 failed 1 time(s) and is tried again at')
    expect(html).toContain('try later')
  })

  it('keeps the name of a deleted workflow on its runs', async () => {
    const workflow = await order('Gone soon')
    const run = await runOf(workflow, { items: [1] })
    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    const { html } = await (await signedIn()).page(`/admin/runs/${run.id}`)
    expect(html).toMatch(/Gone soon <span class="muted small">\(deleted\)<\/span>/)
    expect(html).not.toContain(`href="/admin/workflows/${workflow.id}"`)
  })
})
