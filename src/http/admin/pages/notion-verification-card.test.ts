import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, waitForAccepted } from '../../../../test/helpers'
import { signedIn } from '../../../../test/admin-session'
import { hmacHex } from '../../../../test/signing'

// developers.notion.com/reference/webhooks: creating a subscription makes Notion POST a
// verification_token that the user pastes into Notion's Verify dialog; the workflow page is where
// they find it, until an event signed with it proves Notion has it.
describe("the workflow page's Notion verification card", () => {
  it('asks for the subscription, then shows the token to paste, then only that it was verified', async () => {
    const name = `notion-${crypto.randomUUID().slice(0, 8)}`
    const workflow = await createWorkflow({
      name: 'notion events',
      trigger: { type: 'webhook', signature: { preset: 'notion', secret: name } },
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const browser = await signedIn()
    const page = async () => (await browser.page(`/admin/workflows/${workflow.id}`)).html

    const before = await page()
    expect(before).toContain('<h2>Notion verification</h2>')
    expect(before).toContain('No token yet: in Notion')

    const token = `secret_${crypto.randomUUID().replaceAll('-', '')}`
    const json = { 'content-type': 'application/json' }
    const body = JSON.stringify({ verification_token: token })
    const handshake = await SELF.fetch(workflow.webhookUrl, { method: 'POST', headers: json, body })
    expect(handshake.status).toBe(200)
    const waiting = await page()
    expect(waiting).toContain('Paste this token into Notion&#39;s <strong>Verify</strong> dialog')
    expect(waiting).toContain(`>${token}</code>`)

    const event = JSON.stringify({ id: crypto.randomUUID(), type: 'page.created' })
    const signed = await SELF.fetch(workflow.webhookUrl, {
      method: 'POST',
      headers: { ...json, 'x-notion-signature': `sha256=${await hmacHex(token, event)}` },
      body: event,
    })
    await waitForAccepted(signed)
    const verified = await page()
    expect(verified).toContain('<span class="badge badge-succeeded">verified</span>')
    expect(verified).not.toContain(token)
  })

  it('is not on the page of a workflow without the notion preset', async () => {
    const workflow = await createWorkflow({
      name: 'plain',
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const browser = await signedIn()
    const html = (await browser.page(`/admin/workflows/${workflow.id}`)).html
    expect(html).not.toContain('Notion verification')
  })
})
