import { existsSync, mkdirSync } from 'node:fs'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from '../../scripts/lib/local-server'
import { CHROMIUM, launchChromium, portRange } from './chromium'

// Debian's Chromium (.ci/run installs it), driven by playwright-core against a real AutomateOS
// as npm start serves it on a free one of this suite's ports (8870-8889). Every wait is bounded, and afterAll
// stops the browser and the server whatever happened.
/**
 * The suite's port range: the server takes the first free port.
 * ADMIN_BROWSER_PORTS=8810-8819 gives one engineer's run a range of its own.
 */
const PORTS = portRange('ADMIN_BROWSER_PORTS', '8870-8889')

/**
 * A payment API on 127.0.0.1 (a port the system picks), for the resume flow: it declines
 * charges until fixed, and keeps every request it got.
 */
async function paymentApi() {
  const requests: string[] = []
  let fixed = false
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(`${request.method} ${request.url}`)
    request.resume()
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (request.url === '/orders/42') return json(200, { id: 42, total: 120 })
    if (request.url === '/pay' && fixed) return json(200, { paid: 120 })
    if (request.url === '/pay') return json(402, { error: 'card declined' })
    json(404, { error: 'no such path' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    fix: () => {
      fixed = true
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
const SHOTS = join(import.meta.dirname, '..', '..', '.screenshots')
const WIDTHS = [1280, 390] as const

let server: LocalServer | undefined
let browser: Browser | undefined
let context: BrowserContext
let page: Page
const cspViolations: string[] = []
/** Pages to photograph once the flows below have made something to show on them. */
const shots = new Map<string, string>()

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`)
  server = await startLocalServer(PORTS)
  browser = await launchChromium(['--disable-component-update'])
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(15_000)
  context.setDefaultNavigationTimeout(20_000)
  page = await context.newPage()
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })
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

describe('the admin workbench in Chromium', () => {
  it('signs in with the admin token', async () => {
    await page.goto(url('/admin'))
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
    await page.getByLabel('Admin token').fill(server!.token)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/admin')
    shots.set('dashboard', '/admin')
  })

  it('creates a workflow in the editor, after seeing a validation error', async () => {
    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Workflows' })
      .click()
    await page.getByRole('link', { name: 'New workflow' }).first().click()
    // The editor opens on its form; this test writes the JSON (test/browser/builder.test.ts
    // builds through the form), and a refused save comes back on the tab it was made from.
    await page.locator('#tab-json').click()
    const editor = page.getByLabel('Definition (JSON)')
    const definition = {
      name: 'Greeter',
      nodes: [
        {
          id: 'greet',
          type: 'transfrom',
          config: { expression: '{ "greeting": "Hello, " & name }' },
        },
      ],
    }
    await editor.fill(JSON.stringify(definition, null, 2))
    await page.getByRole('button', { name: 'Create workflow' }).click()
    const alert = page.locator('#definition-errors')
    await alert.waitFor()
    expect(await alert.innerText()).toContain(
      "nodes.0.type (line 6): unknown node type 'transfrom'",
    )
    // What was typed is still there, to be fixed in place.
    const typed = await editor.inputValue()
    expect(typed).toContain('"transfrom"')
    await editor.fill(typed.replace('transfrom', 'transform'))
    await page.getByRole('button', { name: 'Create workflow' }).click()
    await page.getByText('Created. Post to the webhook URL').waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toContain('Greeter')
    // The script ran under the CSP nonce: the copy button is there.
    await page.getByRole('button', { name: 'Copy the webhook URL' }).waitFor()
    shots.set('workflow', new URL(page.url()).pathname)
    shots.set('workflow-edit', `${new URL(page.url()).pathname}/edit`)
  })

  it('runs it with a test payload and watches the run succeed', async () => {
    await page.getByLabel("Test payload (JSON, the run's input)").fill('{ "name": "Ada" }')
    await page.getByRole('button', { name: 'Run now' }).click()
    await page.waitForURL(/\/admin\/runs\//)
    // The page follows the run by itself (live refresh) until it has finished.
    await page.locator('h1 .badge-succeeded').waitFor({ timeout: 30_000 })
    const step = page.locator('#step-1')
    expect(await step.locator('.step-index').innerText()).toBe('1')
    expect(await step.locator('#step-1-output pre').innerText()).toContain(
      '"greeting": "Hello, Ada"',
    )
    shots.set('run-succeeded', new URL(page.url()).pathname)
  })

  it("opens a failed run and reads the node's error", async () => {
    const workflow = await api('POST', '/api/workflows', {
      name: 'Charge card',
      nodes: [
        { id: 'total', type: 'transform', config: { expression: '{ "total": 120 }' } },
        { id: 'charge', type: 'transform', config: { expression: '$error("card declined")' } },
      ],
    })
    await page.goto(url(`/admin/workflows/${workflow.id}`))
    await page.getByRole('button', { name: 'Run now' }).click()
    await page.locator('h1 .badge-failed').waitFor({ timeout: 30_000 })
    await page.getByRole('link', { name: 'step 2 (charge)' }).click()
    const error = page.locator('#step-2 .error-box')
    expect(await error.innerText()).toBe(
      'EXPRESSION_FAILED: JSONata evaluation failed: card declined',
    )
    shots.set('run-failed', new URL(page.url()).pathname)

    await page
      .getByRole('navigation', { name: 'Admin sections' })
      .getByRole('link', { name: 'Inbox' })
      .click()
    expect(await page.locator('.step.status-failed').first().innerText()).toContain('card declined')
    shots.set('inbox', '/admin/inbox')
  })

  it('adds a credential and sees it listed without its value', async () => {
    await page.goto(url('/admin/credentials'))
    await page.getByLabel('Type').selectOption('notion')
    await page.getByRole('button', { name: 'Show the form' }).click()
    await page.getByLabel('Name').fill('team-notion')
    await page.getByRole('textbox', { name: 'token' }).fill('ntn_browser_secret_value')
    await page.getByRole('button', { name: 'Add credential' }).click()
    await page.getByText('Added. Its values are stored encrypted').waitFor()
    const row = page.locator('#credential-team-notion')
    expect(await row.innerText()).toContain('notion')
    expect(await page.content()).not.toContain('ntn_browser_secret_value')
    shots.set('credentials', '/admin/credentials')
  })

  it('lists runs filtered by status', async () => {
    await page.goto(url('/admin/runs'))
    await page.getByLabel('Status').selectOption('failed')
    await page.getByRole('button', { name: 'Show runs' }).click()
    const rows = page.locator('tbody tr:not(.error-row)')
    expect(await rows.count()).toBe(1)
    expect(await page.locator('.error-line').innerText()).toContain('card declined')
    shots.set('runs', '/admin/runs')
    shots.set('workflows', '/admin/workflows')
    shots.set('workflow-new', '/admin/workflows/new')
    shots.set('nodes', '/admin/nodes')
  })

  it('opens a failed run, reads the error, resumes it once the API is fixed, and sees it succeed', async () => {
    const payments = await paymentApi()
    try {
      const workflow = await api('POST', '/api/workflows', {
        name: 'Pay an order',
        nodes: [
          {
            id: 'order',
            type: 'http-request',
            config: { method: 'GET', url: `${payments.url}/orders/42` },
          },
          {
            id: 'pay',
            type: 'http-request',
            config: {
              method: 'POST',
              url: `${payments.url}/pay`,
              body: { amount: '{{ steps.order.output.body.total }}' },
            },
          },
          { id: 'receipt', type: 'transform', config: { expression: '{ "paid": body.paid }' } },
        ],
      })
      await page.goto(url(`/admin/workflows/${workflow.id}`))
      await page.getByRole('button', { name: 'Run now' }).click()
      await page.locator('h1 .badge-failed').waitFor({ timeout: 30_000 })
      const failedUrl = page.url()
      await page.getByRole('link', { name: 'step 2 (pay)' }).click()
      const error = await page.locator('#step-2 .error-box').innerText()
      expect(error).toContain('HTTP_ERROR')
      expect(error).toContain('402')
      expect(error).toContain('card declined')
      expect(payments.requests).toEqual(['GET /orders/42', 'POST /pay'])

      payments.fix()
      await page.getByRole('button', { name: 'Resume from the failed step' }).click()
      await page.waitForURL((next) => next.href !== failedUrl && /\/admin\/runs\//.test(next.href))
      await page.locator('h1 .badge-succeeded').waitFor({ timeout: 30_000 })
      expect(await page.locator('#step-1 .badge-reused').innerText()).toBe('reused')
      expect(await page.locator('#step-2 .badge-reused').count()).toBe(0)
      expect(await page.locator('#step-3 .badge-reused').count()).toBe(0)
      expect(await page.locator('#step-3-output pre').innerText()).toContain('"paid": 120')
      const origin = page.getByRole('link', { name: /^run / }).first()
      expect(new URL(await origin.getAttribute('href')!, page.url()).href).toBe(failedUrl)
      // The order was not looked up again: only the declined charge ran again.
      expect(payments.requests).toEqual(['GET /orders/42', 'POST /pay', 'POST /pay'])
      shots.set('run-resumed', new URL(page.url()).pathname)
    } finally {
      await payments.close()
    }
  })

  it('fits every main page at 1280 and 390 px (screenshots in .screenshots/)', async () => {
    mkdirSync(SHOTS, { recursive: true })
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 })
      for (const [name, path] of shots) {
        await page.goto(url(path))
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true })
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        )
        expect(overflow, `${path} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0)
      }
    }
    expect(shots.size).toBeGreaterThanOrEqual(10)
    expect(cspViolations).toEqual([])
  })
})
