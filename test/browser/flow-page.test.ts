import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from '../../scripts/lib/local-server'
import { launchChromium, portRange, signIn } from './chromium'

// The workflow page's flow picture and the run page in Debian's Chromium at 1280 and 390 px,
// against AutomateOS as npm start serves it: nothing scrolls the page sideways, nothing breaks the
// CSP or logs an error, and the picture says what each node is and how it fared.
const PORTS = portRange('FLOW_BROWSER_PORTS', '8910-8919')
const SHOTS = join(import.meta.dirname, '..', '..', '.screenshots')
const WIDTHS = [1280, 390] as const

let server: LocalServer | undefined
let browser: Browser | undefined
let page: Page
const problems: string[] = []

beforeAll(async () => {
  server = await startLocalServer(PORTS)
  browser = await launchChromium()
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(15_000)
  page = await context.newPage()
  // A CSP violation is an event on the document as well as a console line: both are kept.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy/i.test(message.text()))
      problems.push(`${page.url()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`))
  await signIn(page, server)
  // The sign-in page's own 401 is not an error of the pages under test.
  problems.length = 0
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop()
}, 30_000)

const url = (path: string) => `${server!.url}${path}`

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(url(path), {
    method,
    headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
  return response.json() as Promise<any>
}

async function finished(runId: string) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const run = await api('GET', `/api/runs/${runId}`)
    if (!['queued', 'running'].includes(run.status)) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

/** How far the page scrolls sideways: more than 0 is a layout that does not fit. */
const sideways = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)

let workflowId = ''
let runId = ''

describe('the flow picture and the run page in Chromium', () => {
  it('runs a workflow with every kind of mark', async () => {
    const workflow = await api('POST', '/api/workflows', {
      name: 'Orders to the team, with a name long enough to test the runs filter at phone width',
      nodes: [
        {
          id: 'shape',
          type: 'transform',
          config: { expression: '{ "total": $sum(items), "items": items }' },
        },
        {
          id: 'gate',
          name: 'Only big orders',
          type: 'transform',
          if: 'input.total > 100',
          config: { expression: '$' },
        },
        {
          id: 'each',
          type: 'set',
          forEach: '{{ steps.shape.output.items }}',
          config: { fields: { doubled: '{{ item * 2 }}' } },
        },
        {
          id: 'boom',
          type: 'transform',
          onError: 'continue',
          config: { expression: '$error("card declined")' },
        },
        { id: 'pause', type: 'delay', config: { seconds: 0 } },
        { id: 'done', name: 'Tell the team', type: 'transform', config: { expression: '$' } },
      ],
    })
    workflowId = workflow.id
    const started = await api('POST', `/api/workflows/${workflowId}/runs`, { items: [10, 20] })
    runId = started.runId
    const run = await finished(runId)
    expect(run.steps.map((s: { status: string }) => s.status)).toEqual([
      'succeeded',
      'skipped',
      'succeeded',
      'failed',
      'succeeded',
      'succeeded',
    ])
  })

  it('draws the flow with node labels and last-run statuses, and fits 1280 and 390 px', async () => {
    mkdirSync(SHOTS, { recursive: true })
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(url(`/admin/workflows/${workflowId}`))
      const picture = page.getByRole('img', { name: /The flow of Orders to the team/ })
      await picture.waitFor()
      const nodes = await page.locator('svg.flow g.flow-node').evaluateAll((groups) =>
        groups.map((g) => ({
          id: g.getAttribute('data-node'),
          status: g.getAttribute('data-status'),
          text: [...g.querySelectorAll(':scope > text')].map((t) => t.textContent).join(' | '),
        })),
      )
      expect(nodes).toEqual([
        { id: 'shape', status: 'succeeded', text: '1 shape | transform | ✓ succeeded' },
        {
          id: 'gate',
          status: 'skipped',
          text: '2 Only big orders | transform | ↷ skipped',
        },
        { id: 'each', status: 'succeeded', text: '3 each | set | ✓ succeeded' },
        { id: 'boom', status: 'failed', text: '4 boom | transform | ✕ failed' },
        { id: 'pause', status: 'succeeded', text: '5 pause | delay | ✓ succeeded' },
        { id: 'done', status: 'succeeded', text: '6 Tell the team | transform | ✓ succeeded' },
      ])
      expect(await page.locator('svg.flow .flow-trigger').textContent()).toContain('Webhook')
      await page.screenshot({ path: join(SHOTS, `flow-workflow-${width}.png`), fullPage: true })
      expect(await sideways(), `the workflow page at ${width} px`).toBeLessThanOrEqual(0)
    }
    // At 390 px the picture scrolls inside its card, from the keyboard too.
    const scroller = page.locator('.flow-scroll')
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true)
    await scroller.focus()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('End')
    await expect.poll(() => scroller.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    expect(problems).toEqual([])
  })

  it('shows the run page and the runs filter within 390 px', async () => {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(url(`/admin/runs/${runId}`))
      await page.getByRole('heading', { name: /Run/ }).first().waitFor()
      // Each step's config as sent opens from the keyboard.
      const config = page.locator('#step-3-config summary')
      await config.focus()
      await page.keyboard.press('Enter')
      expect(await page.locator('#step-3-config').getAttribute('open')).toBe('')
      await page.screenshot({ path: join(SHOTS, `flow-run-${width}.png`), fullPage: true })
      expect(await sideways(), `the run page at ${width} px`).toBeLessThanOrEqual(0)

      await page.goto(url('/admin/runs'))
      const overflow = await page
        .locator('form.filter-form')
        .evaluate((form) => form.scrollWidth - form.parentElement!.clientWidth)
      expect(overflow, `the runs filter at ${width} px`).toBeLessThanOrEqual(0)
      await page.screenshot({ path: join(SHOTS, `flow-runs-${width}.png`), fullPage: true })
      expect(await sideways(), `the runs page at ${width} px`).toBeLessThanOrEqual(0)
    }
    expect(problems).toEqual([])
  })

  it('says on the run page what a paused run waits for, at 1280 and 390 px', async () => {
    const workflow = await api('POST', '/api/workflows', {
      name: 'Waits an hour',
      nodes: [
        { id: 'first', type: 'transform', config: { expression: '$' } },
        { id: 'pause', type: 'delay', config: { seconds: 3600 } },
        { id: 'later', type: 'transform', config: { expression: '$' } },
      ],
    })
    const { runId: waiting } = await api('POST', `/api/workflows/${workflow.id}/runs`, {})
    await expect
      .poll(async () => (await api('GET', `/api/runs/${waiting}`)).waitingFor?.for, {
        timeout: 20_000,
      })
      .toBe('delay')
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      await page.goto(url(`/admin/runs/${waiting}`))
      await page.getByText('Paused at step 2 (pause), which waits out a delay until').waitFor()
      expect(await page.locator('#step-2 .badge-waiting').textContent()).toBe('waiting')
      await page.screenshot({ path: join(SHOTS, `flow-run-waiting-${width}.png`), fullPage: true })
      expect(await sideways(), `the waiting run's page at ${width} px`).toBeLessThanOrEqual(0)
      await page.goto(url(`/admin/workflows/${workflow.id}`))
      const statuses = await page
        .locator('svg.flow g.flow-node')
        .evaluateAll((groups) => groups.map((g) => g.getAttribute('data-status')))
      expect(statuses).toEqual(['succeeded', 'waiting', 'not-reached'])
      expect(await sideways(), `the waiting workflow's page at ${width} px`).toBeLessThanOrEqual(0)
    }
    expect(problems).toEqual([])
  })
})
