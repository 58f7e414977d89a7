import { mkdirSync } from 'node:fs'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from '../../scripts/lib/local-server'
import { launchChromium, portRange, watchedAdminPage } from './chromium'

// The form editor in Debian's Chromium, against AutomateOS as npm start serves it: a workflow is
// built through the forms only (never typing in the JSON tab), saved, run and run again.
const PORTS = portRange('BUILDER_BROWSER_PORTS', '8890-8899')
const SHOTS = join(import.meta.dirname, '..', '..', '.screenshots')

type Received = { method: string; url: string; headers: Record<string, unknown> }

/** The API the workflow calls, on 127.0.0.1: it keeps every request it gets. */
async function greetingApi() {
  const requests: Received[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push({ method: request.method!, url: request.url!, headers: request.headers })
    request.resume()
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ greeted: request.headers['x-who'] ?? null }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

let server: LocalServer | undefined
let browser: Browser | undefined
let page: Page
let api: Awaited<ReturnType<typeof greetingApi>>
let cspViolations: string[] = []
let consoleErrors: string[] = []
let workflowPath = ''
let webhookUrl = ''

beforeAll(async () => {
  api = await greetingApi()
  server = await startLocalServer(PORTS)
  browser = await launchChromium()
  ;({ page, cspViolations, consoleErrors } = await watchedAdminPage(browser, server))
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop()
  await api?.close()
}, 30_000)

const url = (path: string) => `${server!.url}${path}`

async function runCount() {
  const response = await fetch(url('/api/runs?limit=100'), {
    headers: { authorization: `Bearer ${server!.token}` },
  })
  return ((await response.json()) as { runs: unknown[] }).runs.length
}
const node = (n: number) => page.locator(`#node-card-${n - 1}`)

/** Puts the cursor in a field, then clicks a value of the sample tree to map it there. */
async function mapFromSample(field: ReturnType<Page['locator']>, root: string, key: string) {
  await field.click()
  await field.fill('')
  await page
    .locator('#sample-tree details', { hasText: root })
    .locator(`button.tree-key[data-sample-path=".${key}"]`)
    .first()
    .click()
}

describe('the form editor in Chromium', () => {
  it('builds a workflow through the forms, sees a save error at its field, and saves it', async () => {
    await page.goto(url('/admin/workflows/new'))
    await page.locator('#tab-form').waitFor()
    await page.getByRole('textbox', { name: 'name', exact: true }).fill('Greeter built in the form')
    // The starting workflow's transform node goes.
    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Remove node 1 (shape)' }).click()
    await page.getByText('No node yet: add the first one.').waitFor()
    await page.getByLabel('Test payload (JSON, the run input)').fill('{ "name": "Ada" }')

    // A schedule shows its next five fire times, computed by the server's cron code.
    await page.getByLabel('Trigger type: kind').selectOption({ label: 'schedule' })
    await page.getByRole('textbox', { name: 'cron', exact: true }).fill('0 9 * * 1')
    await expect.poll(() => page.locator('#next-fires li').count()).toBe(5)
    await page.getByLabel('Trigger type: kind').selectOption({ label: 'webhook' })
    await page.getByText('POST', { exact: true }).click()

    // Node 1: set, one field mapped from the sample, and an `if` in its settings.
    await page.getByRole('button', { name: 'Add a node' }).click()
    await page.getByLabel('Find a node type').fill('set fields')
    await page.locator('.picker-item[data-type="set"]').click()
    await node(1).getByRole('button', { name: 'Add a name to fields' }).click()
    await node(1).getByLabel('fields name 1').fill('who')
    await node(1).getByLabel('fields name 1').press('Tab')
    await mapFromSample(node(1).getByLabel('fields who'), 'Trigger input', 'name')
    expect(await node(1).getByLabel('fields who').inputValue()).toBe('{{ run.input.name }}')
    await expect.poll(() => node(1).locator('.preview').first().innerText()).toBe('→ "Ada"')
    await node(1).locator('summary', { hasText: 'Settings' }).click()
    await mapFromSample(node(1).getByLabel('if', { exact: true }), 'Trigger input', 'name')
    expect(await node(1).getByLabel('if', { exact: true }).inputValue()).toBe('run.input.name')
    await expect
      .poll(() => node(1).locator('[data-preview="nodes.0.if"]').innerText())
      .toBe('→ true')

    // Node 2: an HTTP request, saved first without its URL.
    await page.getByRole('button', { name: 'Add a node' }).click()
    await page.getByLabel('Find a node type').fill('http')
    await page.locator('.picker-item[data-type="http-request"]').click()
    await node(2).getByLabel('method').selectOption('POST')
    await page.getByRole('button', { name: 'Create workflow' }).click()
    const error = node(2).locator('[data-field="nodes.1.config.url"] .field-error')
    await error.waitFor()
    expect(await error.innerText()).toMatch(/string/)
    expect(
      await node(2).getByRole('textbox', { name: 'url', exact: true }).getAttribute('aria-invalid'),
    ).toBe('true')
    // The refusal's 400 was the point of this save.
    consoleErrors.splice(0, consoleErrors.length)

    await node(2).getByRole('textbox', { name: 'url', exact: true }).fill(`${api.url}/hello`)
    await node(2).getByRole('button', { name: 'Add a name to headers' }).click()
    await node(2).getByLabel('headers name 1').fill('x-who')
    await node(2).getByLabel('headers name 1').press('Tab')
    await mapFromSample(node(2).getByLabel('headers x-who'), 'Trigger input', 'name')
    await page.locator('#tab-json').click()
    // The JSON tab holds what the form made.
    const definition = JSON.parse(await page.getByLabel('Definition (JSON)').inputValue())
    expect(definition).toEqual({
      name: 'Greeter built in the form',
      enabled: true,
      trigger: { type: 'webhook', methods: ['POST'] },
      onError: 'stop',
      nodes: [
        {
          id: 'set',
          type: 'set',
          config: { fields: { who: '{{ run.input.name }}' } },
          if: 'run.input.name',
        },
        {
          id: 'http_request',
          type: 'http-request',
          config: {
            method: 'POST',
            url: `${api.url}/hello`,
            headers: { 'x-who': '{{ run.input.name }}' },
          },
        },
      ],
    })
    await page.locator('#tab-form').click()
    await page.getByRole('button', { name: 'Create workflow' }).click()
    await page.getByText('Created. Post to the webhook URL').waitFor()
    // The page answers the POST itself (it shows the webhook URL once): its address is still
    // /admin/workflows/new, so the workflow's own comes from its Edit link.
    const edit = await page.getByRole('link', { name: 'Edit', exact: true }).getAttribute('href')
    workflowPath = edit!.replace(/\/edit$/, '')
    // Shown this once: the API keeps a hash of its token and reads answer webhookUrl null.
    webhookUrl = (await page.locator('code.copy').first().textContent())!.trim()
  })

  it('runs it, and the API gets the mapped value', async () => {
    await page.getByLabel("Test payload (JSON, the run's input)").fill('{ "name": "Ada" }')
    await page.getByRole('button', { name: 'Run now' }).click()
    await page.locator('h1 .badge-succeeded').waitFor({ timeout: 30_000 })
    expect(api.requests.map((r) => [r.method, r.url, r.headers['x-who']])).toEqual([
      ['POST', '/hello', 'Ada'],
    ])
  })

  it("maps the previous step's output from the last run, saves a draft, publishes it, and a webhook call uses it", async () => {
    await page.goto(url(`${workflowPath}/edit`))
    await page.locator('#tab-form').waitFor()
    // The sample is the run just made: its step outputs are in the tree.
    const header = node(2).getByLabel('headers x-who')
    await header.click()
    await header.fill('Hi ')
    await page
      .locator('#sample-tree details', { hasText: 'Step 1 (set) output' })
      .locator('button.tree-key[data-sample-path=".who"]')
      .click()
    expect(await header.inputValue()).toBe('Hi {{ input.who }}')
    await expect.poll(() => node(2).locator('.preview').first().innerText()).toBe('→ "Hi Ada"')

    // Test the HTTP step alone: it asks first (it calls out), the API gets exactly one request,
    // and no run is recorded.
    const runsBefore = await runCount()
    const requestsBefore = api.requests.length
    page.once('dialog', (dialog) => {
      expect(dialog.message()).toContain('for real')
      void dialog.accept()
    })
    await node(2)
      .getByRole('button', { name: /^Test this step/ })
      .click()
    const result = node(2).locator('.test-result')
    await result.locator('.ok-box').waitFor()
    expect(await result.locator('.ok-box').innerText()).toMatch(/^Succeeded in \d+ ms\.$/)
    expect(await result.locator('pre').last().innerText()).toContain('"greeted": "Hi Ada"')
    expect(api.requests.length).toBe(requestsBefore + 1)
    expect(api.requests.at(-1)!.headers['x-who']).toBe('Hi Ada')
    expect(await runCount()).toBe(runsBefore)
    // The card says how its last test went; the server keeps that verdict (checked after reload).
    expect(await node(2).locator('.last-test').innerText()).toMatch(
      /^Tested just now: succeeded in \d+ ms$/,
    )

    mkdirSync(SHOTS, { recursive: true })
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await page.screenshot({ path: join(SHOTS, `builder-editor-${width}.png`), fullPage: true })
      await page
        .locator('#sample-slot')
        .screenshot({ path: join(SHOTS, `builder-sample-${width}.png`) })
      await node(2)
        .locator('.test-step')
        .screenshot({ path: join(SHOTS, `builder-test-step-${width}.png`) })
      await page
        .locator('form[action$="/edit"] > .actions')
        .screenshot({ path: join(SHOTS, `builder-save-buttons-${width}.png`) })
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `the editor at ${width} px scrolls sideways`).toBeLessThanOrEqual(0)
    }
    await page.setViewportSize({ width: 1280, height: 900 })

    // Saved as a draft: the webhook keeps running the live version until it is published.
    await page.getByRole('button', { name: 'Save draft' }).click()
    await page.getByText('Draft saved.').waitFor()
    const banner = page.locator('.draft-box')
    expect(await banner.innerText()).toMatch(/Unpublished draft saved \d{4}-\d\d-\d\d/)
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await page.screenshot({ path: join(SHOTS, `workflow-draft-${width}.png`), fullPage: true })
      await banner.screenshot({ path: join(SHOTS, `workflow-draft-banner-${width}.png`) })
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `the workflow page at ${width} px scrolls sideways`).toBeLessThanOrEqual(0)
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    const post = async (name: string) => {
      const accepted = await fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      expect(accepted.status).toBe(202)
      return ((await accepted.json()) as { runId: string }).runId
    }
    await page.goto(url(`/admin/runs/${await post('Grace')}`))
    await page.locator('h1 .badge-succeeded').waitFor({ timeout: 30_000 })
    expect(api.requests.at(-1)!.headers['x-who']).toBe('Grace')

    await page.goto(url(workflowPath))
    await banner.getByRole('button', { name: 'Publish' }).click()
    await page.getByText('Published: the draft is the live version now.').waitFor()
    expect(await page.locator('.draft-box').count()).toBe(0)
    await page.goto(url(`/admin/runs/${await post('Grace')}`))
    await page.locator('h1 .badge-succeeded').waitFor({ timeout: 30_000 })
    expect(api.requests.at(-1)!.headers['x-who']).toBe('Hi Grace')

    // Reopened, the editor shows the HTTP node's last test from the server, none on the others.
    await page.goto(url(`${workflowPath}/edit`))
    await page.locator('#tab-form').waitFor()
    expect(await node(2).locator('.last-test').innerText()).toMatch(
      /^Tested (just now|\d+ min ago): succeeded in \d+ ms$/,
    )
    expect(await node(1).locator('.last-test').isHidden()).toBe(true)
    expect(cspViolations).toEqual([])
    expect(consoleErrors).toEqual([])
  })
})
