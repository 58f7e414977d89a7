import { describe, expect, it } from 'vitest'
import { listNodes } from '../../../nodes/registry'
import { signedIn } from '../../../../test/admin-session'
import { admin } from '../../../../test/helpers'

type Example = { id: string; type: string; config: Record<string, unknown> }

/** The text of a `<pre>`, as hono/jsx escaped it. */
function unescapeHtml(html: string) {
  return html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

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

  it("shows each node's example as the API lists it, and every example saves as it is", async () => {
    const { html } = await (await signedIn()).page('/admin/nodes')
    const { nodes } = (await (await admin('/api/nodes')).json()) as {
      nodes: { type: string; example: Example }[]
    }
    expect(nodes.map((n) => n.type).sort()).toEqual(
      listNodes()
        .map((n) => n.type)
        .sort(),
    )
    for (const { type, example } of nodes) {
      const section = new RegExp(`<section class="card" id="node-${type}">([\\s\\S]*?)</section>`)
      const snippet = /<pre>([\s\S]*?)<\/pre>/.exec(section.exec(html)![1]!)![1]!
      expect(JSON.parse(unescapeHtml(snippet))).toEqual(example)

      const saved = await admin('/api/workflows', {
        method: 'POST',
        json: { name: `Example ${type}`, nodes: [example] },
      })
      expect(saved.status, `${type}: ${await saved.clone().text()}`).toBe(201)
      // No placeholders and nothing unknown: only a credential that is not stored yet is said.
      const { warnings = [] } = (await saved.json()) as { warnings?: { code: string }[] }
      expect(warnings.map((w) => w.code)).toEqual(
        'credential' in example.config ? ['CREDENTIAL_MISSING'] : [],
      )
    }
  })
})
