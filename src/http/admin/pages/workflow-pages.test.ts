import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForRun } from '../../../../test/helpers'
import { BASE, signedIn } from '../../../../test/admin-session'

const definition = (name: string, expression = '{ "greeting": "Hello, " & name }') => ({
  name,
  nodes: [{ id: 'greet', type: 'transform', config: { expression } }],
})

/** The text of the editor's textarea, as the browser would show it. */
function editorText(html: string) {
  const match = /<textarea id="definition"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(html)
  if (!match) throw new Error('no editor on the page')
  return match[1]!
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
}

describe('workflow pages', () => {
  it('lists workflows with trigger, state, last run, 24 h runs and success rate', async () => {
    const good = await createWorkflow(definition('Listed ok'))
    const bad = await createWorkflow(definition('Listed failing', '$error("nope")'))
    const idle = await createWorkflow({ ...definition('Listed idle'), enabled: false })
    for (const body of [{ name: 'a' }, { name: 'b' }]) {
      const { runId } = (await (await postWebhook(good, body)).json()) as { runId: string }
      await waitForRun(runId)
    }
    const { runId: failedId } = (await (await postWebhook(bad, {})).json()) as { runId: string }
    await waitForRun(failedId)
    const { html } = await (await signedIn()).page('/admin/workflows')
    const row = (id: string) => {
      const match = new RegExp(
        `<tr><td class="wide"><a href="/admin/workflows/${id}">[\\s\\S]*?</tr>`,
      ).exec(html)
      return match![0]
    }
    expect(row(good.id)).toContain('>Listed ok</a>')
    expect(row(good.id)).toContain('<td class="muted">webhook</td>')
    expect(row(good.id)).toContain('badge badge-on')
    expect(row(good.id)).toContain('badge badge-succeeded')
    expect(row(good.id)).toContain('<td class="num" data-label="runs in 24 h">2</td>')
    expect(row(good.id)).toContain('<td class="num" data-label="succeeded">100%</td>')
    expect(row(bad.id)).toContain('badge badge-failed')
    expect(row(bad.id)).toContain(`href="/admin/runs/${failedId}"`)
    expect(row(bad.id)).toContain('<td class="num" data-label="succeeded">0%</td>')
    expect(row(idle.id)).toContain('never run')
    expect(row(idle.id)).toContain('badge badge-off')
    expect(row(idle.id)).toContain('<td class="num" data-label="succeeded">—</td>')
  })

  it('shows the editor with the node catalogue beside it', async () => {
    const { status, html } = await (await signedIn()).page('/admin/workflows/new')
    expect(status).toBe(200)
    expect(html).toContain('<label for="definition">Definition (JSON)</label>')
    expect(JSON.parse(editorText(html)).nodes[0].type).toBe('transform')
    expect(html).toContain('<details id="node-filter">')
    expect(html).toMatch(
      /<code>condition<\/code> <span class="type">string<\/span> <span class="req">required<\/span>/,
    )
    expect(html).toContain('JSONata condition, e.g. amount &gt; 100')
  })

  it('shows validation errors at their field path and line, keeping the text as typed', async () => {
    const session = await signedIn()
    const typed = `{
  "name": "Typed by hand",
  "nodes": [
    { "id": "Bad Id", "type": "transform", "config": {} },
    { "id": "b", "type": "no-such-node" }
  ]
}`
    const refused = await session.post('/admin/workflows/new', { definition: typed })
    expect(refused.status).toBe(400)
    expect(editorText(refused.html)).toBe(typed)
    expect(refused.html).toContain('role="alert" id="definition-errors"')
    expect(refused.html).toContain('<code>nodes.0.id</code><span> (line 4)</span>: must match')
    expect(refused.html).toMatch(/<code>nodes.0.config.expression<\/code><span> \(line 4\)<\/span>/)
    expect(refused.html).toContain(
      '<code>nodes.1.type</code><span> (line 5)</span>: unknown node type &#39;no-such-node&#39;',
    )
    expect(refused.html).toContain('aria-invalid="true"')
    const listed = (await (await admin('/api/workflows')).json()) as {
      workflows: { name: string }[]
    }
    expect(listed.workflows.map((w) => w.name)).not.toContain('Typed by hand')

    const broken = '{\n  "name": "x",\n  "nodes": [\n}'
    const notJson = await session.post('/admin/workflows/new', { definition: broken })
    expect(notJson.status).toBe(400)
    expect(notJson.html).toMatch(/<span>Line 4: <\/span>Request body is not valid JSON/)
    expect(editorText(notJson.html)).toBe(broken)
  })

  it('creates a workflow from the editor and shows it with its webhook URL', async () => {
    const session = await signedIn()
    const created = await session.post('/admin/workflows/new', {
      definition: JSON.stringify(definition('Made in the editor')),
    })
    // The page answers the POST itself: the new URL is shown this once, never in a Location.
    expect(created.status).toBe(200)
    expect(created.location).toBeNull()
    const html = created.html
    const url =
      /<code[^>]*>(http:\/\/automateos\.test\/hooks\/(wf_[\w-]+)\/[\w-]{32})<\/code>/.exec(html)
    expect(url).not.toBeNull()
    const [, webhookUrl, id] = url!
    expect(html).toContain('Created. Post to the webhook URL')
    expect(html).toContain('Copy it now: this is the only time it is shown')
    expect(html).toContain('data-copy="Copy"')
    expect(html).toContain('<strong>greet</strong>')
    expect(html).not.toContain('hookToken')
    expect((await postWebhook({ webhookUrl: webhookUrl! }, {})).status).toBe(202)
    // Read again later, the page says where the URL lives, without its token.
    const later = (await session.page(`/admin/workflows/${id}`)).html
    expect(later).not.toContain(webhookUrl!)
    expect(later).toContain(`<code>http://automateos.test/hooks/${id}/&lt;token&gt;</code>`)
  })

  it('says after a save from the editor where the config holds what looks like a secret', async () => {
    const session = await signedIn()
    const url = 'https://discord.com/api/webhooks/1122334455/page-secret-token'
    const created = await session.post('/admin/workflows/new', {
      definition: JSON.stringify({
        name: 'Discord by URL',
        nodes: [{ id: 'post', type: 'http-request', config: { method: 'POST', url } }],
      }),
    })
    expect(created.status).toBe(200)
    const { html } = created
    expect(html).toContain('Created. Post to the webhook URL')
    expect(html).toContain('This workflow holds what looks like a secret.')
    expect(html).toContain(
      '<code>nodes.0.config.url</code> looks like a Discord webhook URL: use a discord-webhook credential.',
    )
    // A workflow without one says nothing of the kind.
    const clean = await createWorkflow(definition('No secrets'))
    expect((await session.page(`/admin/workflows/${clean.id}`)).html).not.toContain(
      'looks like a secret',
    )
  })

  it('saves a new version, lists the versions and shows a diff between two', async () => {
    const workflow = await createWorkflow(definition('Versioned'))
    const session = await signedIn()
    const editor = await session.page(`/admin/workflows/${workflow.id}/edit`)
    expect(editor.html).toContain('Saving makes version 2')
    const text = editorText(editor.html).replace('Hello, ', 'Hi, ')
    const saved = await session.post(`/admin/workflows/${workflow.id}/edit`, { definition: text })
    expect(saved.status).toBe(303)
    expect(saved.location).toBe(`/admin/workflows/${workflow.id}?done=saved`)
    const { html } = await session.page(saved.location!)
    expect(html).toContain('version 2')
    expect(html).toContain('2 saved')
    expect(html).toContain(`href="/admin/workflows/${workflow.id}/diff?from=1&amp;to=1"`)

    const diff = await session.page(`/admin/workflows/${workflow.id}/diff?from=1&to=2`)
    expect(diff.status).toBe(200)
    expect(diff.html).toContain('Version 1 → 2')
    expect(diff.html).toContain('2 changed lines')
    expect(diff.html).toMatch(/<li class="del">.*removed: <\/span>.*Hello, /)
    expect(diff.html).toMatch(/<li class="add">.*added: <\/span>.*Hi, /)

    const restore = await session.page(`/admin/workflows/${workflow.id}/edit?from=1`)
    expect(editorText(restore.html)).toContain('Hello, ')
    expect((await session.page(`/admin/workflows/${workflow.id}/diff?from=1&to=9`)).status).toBe(
      404,
    )
  })

  it('disables and enables a workflow: its webhook answers 404 in between', async () => {
    const workflow = await createWorkflow(definition('Switchable'))
    const session = await signedIn()
    const off = await session.post(`/admin/workflows/${workflow.id}/enabled`, { enabled: 'false' })
    expect(off.location).toBe(`/admin/workflows/${workflow.id}?done=disabled`)
    expect((await postWebhook(workflow, {})).status).toBe(404)
    const page = await session.page(off.location!)
    expect(page.html).toContain('badge badge-off')
    expect(page.html).toContain('<input type="hidden" name="enabled" value="true"/>')
    await session.post(`/admin/workflows/${workflow.id}/enabled`, { enabled: 'true' })
    expect((await postWebhook(workflow, {})).status).toBe(202)
  })

  it('runs a workflow now with a test payload and shows the run', async () => {
    const workflow = await createWorkflow(definition('Run by hand'))
    const session = await signedIn()
    const started = await session.post(`/admin/workflows/${workflow.id}/run`, {
      payload: '{ "name": "Ada" }',
    })
    expect(started.status).toBe(303)
    const runId = /^\/admin\/runs\/(.+)$/.exec(started.location!)![1]!
    const run = await waitForRun(runId)
    expect(run.output).toEqual({ greeting: 'Hello, Ada' })
    const { html } = await session.page(started.location!)
    expect(html).toContain('badge badge-succeeded')
    expect(html).toContain('&quot;greeting&quot;: &quot;Hello, Ada&quot;')
    expect(html).toContain('<dd>manual</dd>')
  })

  it('keeps a test payload that is not JSON and says why', async () => {
    const workflow = await createWorkflow(definition('Bad payload'))
    const session = await signedIn()
    const refused = await session.post(`/admin/workflows/${workflow.id}/run`, {
      payload: '{ name: Ada }',
    })
    expect(refused.status).toBe(400)
    expect(refused.html).toContain('Request body is not valid JSON')
    expect(refused.html).toMatch(/<textarea id="payload"[^>]*>\n\{ name: Ada \}<\/textarea>/)
  })

  it('exports a definition without secrets and imports it as a new workflow', async () => {
    const workflow = await createWorkflow(definition('Round trip'))
    const session = await signedIn()
    const exported = await SELF.fetch(`${BASE}/admin/workflows/${workflow.id}/export`, {
      headers: { cookie: session.cookie },
    })
    expect(exported.headers.get('content-disposition')).toBe(
      'attachment; filename="round-trip.json"',
    )
    const text = await exported.text()
    expect(JSON.parse(text)).toMatchObject({
      name: 'Round trip',
      enabled: true,
      nodes: [{ id: 'greet' }],
    })
    expect(text).not.toContain(workflow.webhookUrl.split('/').pop()!)
    expect(text).not.toContain(workflow.id)

    const form = new FormData()
    form.set('_csrf', session.csrf)
    form.set('file', new File([text.replace('Round trip', 'Round trip copy')], 'w.json'))
    const imported = await SELF.fetch(`${BASE}/admin/workflows/import`, {
      method: 'POST',
      headers: { cookie: session.cookie },
      body: form,
      redirect: 'manual',
    })
    // The new workflow's page answers the import: its webhook URL is shown this once.
    expect(imported.status).toBe(200)
    const copy = await imported.text()
    expect(copy).toContain('Round trip copy')
    expect(copy).toContain('Copy it now: this is the only time it is shown')
  })

  it('opens an import that does not validate in the editor, with the errors', async () => {
    const session = await signedIn()
    const form = new FormData()
    form.set('_csrf', session.csrf)
    form.set('file', new File(['{ "name": "No nodes", "nodes": [] }'], 'w.json'))
    const refused = await SELF.fetch(`${BASE}/admin/workflows/import`, {
      method: 'POST',
      headers: { cookie: session.cookie },
      body: form,
    })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain(
      '<code>nodes</code><span> (line 1)</span>: a workflow needs at least one node',
    )
    expect(editorText(html)).toBe('{ "name": "No nodes", "nodes": [] }')
  })

  it('deletes a workflow', async () => {
    const workflow = await createWorkflow(definition('Short lived'))
    const session = await signedIn()
    const page = await session.page(`/admin/workflows/${workflow.id}`)
    expect(page.html).toContain('data-confirm="Delete &quot;Short lived&quot;?')
    const deleted = await session.post(`/admin/workflows/${workflow.id}/delete`)
    expect(deleted.location).toBe('/admin/workflows')
    expect((await admin(`/api/workflows/${workflow.id}`)).status).toBe(404)
  })
})

describe('webhook token', () => {
  it('rotates the token from the workflow page: the old URL answers 404 at once', async () => {
    const workflow = await createWorkflow(definition('Rotated'))
    const session = await signedIn()
    const before = await session.page(`/admin/workflows/${workflow.id}`)
    expect(before.html).toContain(`action="/admin/workflows/${workflow.id}/rotate-token"`)
    const rotated = await session.post(`/admin/workflows/${workflow.id}/rotate-token`)
    expect(rotated.status).toBe(200)
    expect((await postWebhook(workflow, {})).status).toBe(404)
    const html = rotated.html
    expect(html).toContain('New webhook URL: the old one answers 404 from now on.')
    const fresh = new RegExp(`http://automateos\\.test/hooks/${workflow.id}/[\\w-]{32}`).exec(html)
    expect(fresh).not.toBeNull()
    expect(fresh![0]).not.toBe(workflow.webhookUrl)
    expect((await postWebhook({ webhookUrl: fresh![0] }, {})).status).toBe(202)
  })
})
