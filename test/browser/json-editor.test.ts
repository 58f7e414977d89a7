import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from '../../scripts/lib/local-server'
import { launchChromium, portRange, watchedAdminPage } from './chromium'

// The editor page's JSON tab in Debian's Chromium (browser/builder/json-editor.ts): line numbers,
// the live "Line 4, column 3" message and its Go to line, Tab, Esc and Enter, and that the form,
// Format and a refused save still work around it.
const PORTS = portRange('JSON_EDITOR_BROWSER_PORTS', '8960-8969')
/** Outside the checkout: the screenshots are for a person to look at, never compared. */
const SHOTS = process.env.JSON_EDITOR_SHOTS ?? '/tmp'

let server: LocalServer | undefined
let browser: Browser | undefined
let page: Page
let cspViolations: string[] = []
let consoleErrors: string[] = []

beforeAll(async () => {
  server = await startLocalServer(PORTS)
  browser = await launchChromium()
  ;({ page, cspViolations, consoleErrors } = await watchedAdminPage(browser, server))
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

afterAll(async () => {
  await browser?.close().catch(() => undefined)
  await server?.stop()
}, 30_000)

// Line 4 lacks the comma line 3 should end with: JSON.parse stops at its "nodes", column 3.
const BROKEN = ['{', '  "name": "Broken",', '  "enabled": true', '  "nodes": []', '}'].join('\n')
const AT_NODES = BROKEN.indexOf('"nodes"')

const editor = () => page.locator('#definition')
const value = () => editor().inputValue()
const caret = () => editor().evaluate((t: HTMLTextAreaElement) => t.selectionStart)
const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '')
const gutterNumbers = () => page.locator('.json-gutter-lines span').allInnerTexts()
const setCaret = (offset: number) =>
  editor().evaluate((t: HTMLTextAreaElement, at) => t.setSelectionRange(at, at), offset)

async function openJsonTab() {
  await page.goto(`${server!.url}/admin/workflows/new`)
  await page.locator('#tab-json').click()
  await editor().waitFor()
}

describe('the JSON tab in Chromium', () => {
  it('numbers the lines, level with the text, and keeps them level when it scrolls', async () => {
    await openJsonTab()
    const lines = (await value()).split('\n').length
    expect(await gutterNumbers()).toEqual(Array.from({ length: lines }, (_, i) => String(i + 1)))
    await editor().fill(Array.from({ length: 80 }, (_, i) => `"line ${i + 1}"`).join('\n'))
    await expect.poll(() => page.locator('.json-gutter-lines span').count()).toBe(80)
    expect(await editor().getAttribute('wrap')).toBe('off')

    // Each number's top is its line's top, before and after the text scrolls.
    const offBy = () =>
      page.evaluate(() => {
        const textarea = document.getElementById('definition')!
        const style = getComputedStyle(textarea)
        const lineHeight = parseFloat(style.lineHeight)
        const top =
          textarea.getBoundingClientRect().top + parseFloat(style.paddingTop) - textarea.scrollTop
        const spans = [...document.querySelectorAll('.json-gutter-lines span')]
        return Math.max(
          ...[0, 40, 79].map((i) =>
            Math.abs(spans[i]!.getBoundingClientRect().top - (top + i * lineHeight)),
          ),
        )
      })
    expect(await offBy()).toBeLessThan(1)
    await editor().evaluate((t: HTMLTextAreaElement) => {
      t.scrollTop = 500
    })
    await expect.poll(offBy).toBeLessThan(1)
    expect(await editor().evaluate((t: HTMLTextAreaElement) => t.scrollTop)).toBeGreaterThan(0)
  })

  it('scrolls to a line far down, and says where a text ends too soon', async () => {
    await openJsonTab()
    const items = Array.from({ length: 80 }, (_, i) => `  ${i + 1},`)
    const text = ['[', ...items.slice(0, 69), '  70 71,', ...items.slice(70), '  0', ']'].join('\n')
    await editor().fill(text)
    await expect
      .poll(() => page.locator('#json-problem').innerText())
      .toMatch(/^Line 71, column 6: /)
    await editor().evaluate((t: HTMLTextAreaElement) => {
      t.scrollTop = 0
    })
    await page.getByRole('button', { name: 'Go to line 71' }).click()
    expect(await caret()).toBe(text.indexOf(' 71,') + 1)
    // The marked number is in view, inside the gutter, so the line beside it is too.
    const [gutter, mark] = await Promise.all([
      page.locator('.json-gutter').boundingBox(),
      page.locator('.json-bad-line').boundingBox(),
    ])
    expect(mark!.y).toBeGreaterThanOrEqual(gutter!.y)
    expect(mark!.y + mark!.height).toBeLessThanOrEqual(gutter!.y + gutter!.height)

    await editor().fill('{\n  "name": "Cut short",\n  "nodes": [')
    await expect
      .poll(() => page.locator('#json-problem').innerText())
      .toBe('Line 3, column 13: Unexpected end of JSON input')
    expect(await page.locator('.json-bad-line').allInnerTexts()).toEqual(['3'])
  })

  it('says where invalid JSON stops, marks that line, and Go to line puts the caret there', async () => {
    await openJsonTab()
    await editor().fill(BROKEN)
    const problem = page.locator('#json-problem')
    await expect
      .poll(() => problem.innerText())
      .toBe("Line 4, column 3: Expected ',' or '}' after property value")
    expect(await page.locator('.json-bad-line').allInnerTexts()).toEqual(['4'])
    expect(await editor().getAttribute('aria-invalid')).toBe('true')
    expect(await editor().getAttribute('aria-describedby')).toContain('json-problem')

    await page.getByRole('button', { name: 'Go to line 4' }).click()
    expect(await focusedId()).toBe('definition')
    expect(await caret()).toBe(AT_NODES)

    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 })
      await page.screenshot({ path: `${SHOTS}/json-editor-${width}.png`, fullPage: true })
      await page.locator('#json-tab').screenshot({ path: `${SHOTS}/json-editor-tab-${width}.png` })
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `the editor at ${width} px scrolls sideways`).toBeLessThanOrEqual(0)
    }
    await page.setViewportSize({ width: 1280, height: 900 })

    // Typed, not set: the comma at the end of line 3 makes it JSON, and the message goes.
    await setCaret(BROKEN.indexOf('true') + 'true'.length)
    await page.keyboard.type(',')
    await expect.poll(() => page.locator('#json-problem').innerText()).toBe('')
    expect(await page.locator('.json-status-bad').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^Go to line/ }).count()).toBe(0)
    expect(await page.locator('.json-bad-line').count()).toBe(0)
    expect(await editor().getAttribute('aria-invalid')).toBeNull()
  })

  it('indents with Tab, keeps the indentation on Enter, and lets Tab leave after Esc', async () => {
    await openJsonTab()
    await editor().fill(BROKEN.replace('true', 'true,'))
    const afterName = (await value()).indexOf('"Broken",') + '"Broken",'.length
    await editor().focus()
    await setCaret(afterName)
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab')
    await page.keyboard.type('"x": 1,')
    const expected = BROKEN.replace('true', 'true,').replace(
      '"Broken",',
      '"Broken",\n' + '  ' + '  ' + '"x": 1,',
    )
    expect(await value()).toBe(expected)
    expect(await focusedId()).toBe('definition')
    await expect.poll(() => page.locator('.json-gutter-lines span').count()).toBe(6)

    const hint = page.locator('#json-keys-hint')
    expect(await hint.innerText()).toMatch(/press Esc, then Tab/)
    await page.keyboard.press('Escape')
    expect(await hint.innerText()).toMatch(/Tab now moves on/)
    await page.keyboard.press('Tab')
    expect(await focusedId()).not.toBe('definition')
    expect(await value()).toBe(expected)

    // Back in the editor, Tab indents again.
    await page.keyboard.press('Shift+Tab')
    expect(await focusedId()).toBe('definition')
    await setCaret(0)
    await page.keyboard.press('Tab')
    expect(await value()).toBe(`  ${expected}`)
    expect(await focusedId()).toBe('definition')
  })

  it('keeps Format, the form tab and a refused save working', async () => {
    await openJsonTab()
    await editor().fill('{"name":"Flat","nodes":[]}')
    await expect.poll(() => page.locator('.json-gutter-lines span').count()).toBe(1)
    await page.getByRole('button', { name: 'Format JSON' }).click()
    expect(await value()).toBe('{\n  "name": "Flat",\n  "nodes": []\n}')
    expect(await gutterNumbers()).toEqual(['1', '2', '3', '4'])

    // The form reads the JSON, and what it changes comes back numbered.
    await page.locator('#tab-form').click()
    const name = page.getByRole('textbox', { name: 'name', exact: true })
    expect(await name.inputValue()).toBe('Flat')
    await name.fill('Flat, renamed')
    await page.locator('#tab-json').click()
    expect(JSON.parse(await value()).name).toBe('Flat, renamed')
    const lines = (await value()).split('\n').length
    expect(await page.locator('.json-gutter-lines span').count()).toBe(lines)

    // Format on text that is not JSON says where, in the same words.
    await editor().fill(BROKEN)
    await page.getByRole('button', { name: 'Format JSON' }).click()
    expect(await page.locator('#format-status').innerText()).toBe(
      "Not valid JSON yet: Line 4, column 3: Expected ',' or '}' after property value",
    )

    // A save of it is refused by the server as before, and the page comes back saying where.
    await page.getByRole('button', { name: 'Create workflow' }).click()
    await page.locator('#definition-errors').waitFor()
    expect(await page.locator('#definition-errors').innerText()).toContain('Line 4')
    expect(await value()).toBe(BROKEN)
    await expect
      .poll(() => page.locator('#json-problem').innerText())
      .toBe("Line 4, column 3: Expected ',' or '}' after property value")
    expect(await editor().getAttribute('aria-describedby')).toMatch(/definition-errors/)
    // The refusal's 400 was the point of this save.
    // (the response, and Chromium's own line about it).
    const refusal = consoleErrors.splice(0)
    expect(refusal).toContain(`400 POST ${server!.url}/admin/workflows/new`)
    for (const error of refusal) expect(error).toMatch(/\b400\b/)

    expect(cspViolations).toEqual([])
    expect(consoleErrors).toEqual([])
  })
})
