import { describe, expect, it } from 'vitest'
import { login, page } from '../../../../test/admin-session'
import { ADMIN_SCRIPT } from '../../../generated/admin-script'

describe('the admin layout', () => {
  it('sends the bundled browser code once, inline, under the response nonce', async () => {
    const { headers, html } = await page('/admin', await login())
    const nonce = /'nonce-([^']+)'/.exec(headers.get('content-security-policy')!)![1]!
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts).toHaveLength(1)
    expect(scripts[0]![1]).toBe(` nonce="${nonce}"`)
    expect(scripts[0]![2]).toBe(ADMIN_SCRIPT)
  })
})
