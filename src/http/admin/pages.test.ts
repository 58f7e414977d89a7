import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postAndWait,
  postWebhook,
} from '../../../test/helpers'
import { BIG_BUDGET, holdingQueue, startMessage } from '../../../test/engine-fixtures'
import { runWorkflow } from '../../engine/run-workflow'
import { login, page } from '../../../test/admin-session'

async function finishedRun(name: string, payload: unknown) {
  const workflow = await createWorkflow({
    name,
    nodes: [
      { id: 'only-paid', type: 'filter', name: 'Only paid', config: { condition: 'plan = "pro"' } },
      { id: 'shape', type: 'transform', config: { expression: '{ "text": "Hi " & email }' } },
    ],
  })
  return { workflow, run: await postAndWait(workflow, payload) }
}

describe('admin pages', () => {
  it('lists workflows with their webhook URL and recent runs on the dashboard', async () => {
    const { workflow, run } = await finishedRun('Signup flow', { plan: 'pro', email: 'a@b.c' })
    const cookie = await login()
    const { status, html } = await page('/admin', cookie)
    expect(status).toBe(200)
    expect(html).toContain('<title>AutomateOS</title>')
    expect(html).toContain(`href="/admin/workflows/${workflow.id}">Signup flow</a>`)
    expect(html).toContain(workflow.webhookUrl)
    expect(html).toContain(`href="/admin/runs/${run.id}"`)
    expect(html).toContain('badge badge-succeeded')
    expect(html).toContain('Sign out')
  })

  it('filters runs by status', async () => {
    const { run } = await finishedRun('Filtered list', { plan: 'pro', email: 'a@b.c' })
    const cookie = await login()
    expect((await page('/admin?status=succeeded', cookie)).html).toContain(run.id)
    const failed = await page('/admin?status=failed', cookie)
    expect(failed.html).not.toContain(run.id)
    expect(failed.html).toContain('href="/admin?status=failed" aria-current="page"')
    expect((await page('/admin?status=bogus', cookie)).html).toContain(run.id)
  })

  it('shows a run with every step, its status and its input and output', async () => {
    const { workflow, run } = await finishedRun('Step view', { plan: 'free', email: 'a@b.c' })
    expect(run.steps.map((s) => s.status)).toEqual(['succeeded', 'skipped'])
    const cookie = await login()
    const { status, html } = await page(`/admin/runs/${run.id}`, cookie)
    expect(status).toBe(200)
    expect(html).toContain(run.id)
    expect(html).toContain(`href="/admin/workflows/${workflow.id}">Step view</a>`)
    const steps = [...html.matchAll(/<li class="step" id="step-(\d+)">([\s\S]*?)<\/li>/g)]
    expect(steps.map((m) => m[1])).toEqual(['0', '1'])
    expect(steps[0]![2]).toContain('Only paid')
    expect(steps[0]![2]).toContain('<code>only-paid</code>')
    expect(steps[0]![2]).toContain('badge badge-succeeded')
    expect(steps[1]![2]).toContain('badge badge-skipped')
    expect(steps[0]![2]).toContain('&quot;plan&quot;: &quot;free&quot;')
    expect(html).not.toContain('http-equiv="refresh"')
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
    const { html } = await page(`/admin/runs/${message.runId}`, await login())
    expect(html).toContain('Step 0 failed 1 time(s) and is tried again at')
    expect(html).toContain('try later')
  })

  it('keeps the name of a deleted workflow on its runs', async () => {
    const { workflow, run } = await finishedRun('Gone soon', { plan: 'pro', email: 'a@b.c' })
    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    const cookie = await login()
    const { html } = await page(`/admin/runs/${run.id}`, cookie)
    expect(html).toMatch(/Gone soon <span class="muted small">\(deleted\)<\/span>/)
    expect(html).not.toContain(`href="/admin/workflows/${workflow.id}"`)
  })

  it('answers 404 pages for a missing run or workflow', async () => {
    const cookie = await login()
    for (const path of ['/admin/runs/nope', '/admin/workflows/nope', '/admin/nothing-here']) {
      const { status, html } = await page(path, cookie)
      expect(status).toBe(404)
      expect(html).toContain('Not found')
    }
  })

  it('shows a workflow definition and its runs', async () => {
    const { workflow, run } = await finishedRun('Definition view', { plan: 'pro', email: 'x' })
    const other = await finishedRun('Someone else', { plan: 'pro', email: 'y' })
    const cookie = await login()
    const { status, html } = await page(`/admin/workflows/${workflow.id}`, cookie)
    expect(status).toBe(200)
    expect(html).toContain('&quot;condition&quot;: &quot;plan = \\&quot;pro\\&quot;&quot;')
    expect(html).toContain(workflow.webhookUrl)
    expect(html).not.toContain('hookToken')
    expect(html).toContain(run.id)
    expect(html).not.toContain(other.run.id)
  })

  it('escapes what users wrote', async () => {
    const name = '<script>alert(1)</script>'
    const { workflow, run } = await finishedRun(name, {
      plan: 'pro',
      email: '<img src=x onerror=alert(2)>',
    })
    const cookie = await login()
    for (const path of ['/admin', `/admin/workflows/${workflow.id}`, `/admin/runs/${run.id}`]) {
      const { html } = await page(path, cookie)
      expect(html).not.toContain('<script>')
      expect(html).not.toContain('<img src=x')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })
})
