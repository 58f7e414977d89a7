import { type Browser, type Page, chromium } from 'playwright-core'
import type { LocalServer } from '../../scripts/lib/local-server'

// What every browser test starts with: Debian's Chromium (.ci/run installs it), a port range of
// its own, a page whose console is watched, and a signed-in admin session.

export const CHROMIUM = '/usr/bin/chromium'

/** The ports `variable` names (like 8870-8889), else `fallback`: one engineer's run, one range. */
export function portRange(variable: string, fallback: string): number[] {
  const text = process.env[variable] ?? fallback
  const [first, last] = text.split('-').map(Number)
  if (!Number.isInteger(first) || !Number.isInteger(last) || last! <= first!)
    throw new Error(`${variable} must be like ${fallback}, not ${text}`)
  return Array.from({ length: last! - first! + 1 }, (_, i) => first! + i)
}

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      ...extraArgs,
    ],
    timeout: 30_000,
  })
}

/** Signs the page in with the server's admin token and waits for the dashboard. */
export async function signIn(page: Page, server: LocalServer) {
  await page.goto(`${server.url}/admin`)
  await page.getByLabel('Admin token').fill(server.token)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor()
}

/**
 * A signed-in 1280 px page that keeps CSP violations and every other console error, uncaught
 * exception and 4xx/5xx answer. The sign-in page's own 401 is not kept: it is no error of the
 * pages under test.
 */
export async function watchedAdminPage(browser: Browser, server: LocalServer) {
  const cspViolations: string[] = []
  const consoleErrors: string[] = []
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
    else if (message.type() === 'error') consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => consoleErrors.push(error.message))
  page.on('response', (r) => {
    if (r.status() >= 400) consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`)
  })
  await signIn(page, server)
  consoleErrors.length = 0
  return { page, cspViolations, consoleErrors }
}
