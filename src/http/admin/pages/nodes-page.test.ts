import { describe, expect, it } from 'vitest'
import { listNodes } from '../../../nodes/registry'
import { signedIn } from '../../../../test/admin-session'

describe('nodes page', () => {
  it('shows every registered node with its config fields, types and descriptions', async () => {
    const { status, html } = await (await signedIn()).page('/admin/nodes')
    expect(status).toBe(200)
    for (const node of listNodes())
      expect(html).toContain(`<section class="card" id="node-${node.type}">`)
    const http = /<section class="card" id="node-http-request">([\s\S]*?)<\/section>/.exec(
      html,
    )![1]!
    expect(http).toContain(
      '<code>url</code> <span class="type">string</span> <span class="req">required</span>',
    )
    expect(http).toContain(
      '<code>method</code> <span class="type">&quot;GET&quot; | &quot;POST&quot; | &quot;PUT&quot; | &quot;PATCH&quot; | &quot;DELETE&quot; | &quot;HEAD&quot; | &quot;OPTIONS&quot;</span>',
    )
    expect(http).toContain('default &quot;GET&quot;')
    expect(http).toContain('The URL to call')
  })
})
