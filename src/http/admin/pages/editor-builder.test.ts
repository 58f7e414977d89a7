import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForRun } from '../../../../test/helpers'
import { postForm, signedIn } from '../../../../test/admin-session'

/** The form editor's data, as the page embeds it in data-builder (HTML-escaped JSON). */
function builderData(html: string) {
  const match = /<div id="builder" data-builder="([^"]*)" hidden=""><\/div>/.exec(html)
  if (!match) throw new Error('no form editor data on the page')
  const text = match[1]!
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
  return JSON.parse(text)
}

describe('the form editor on the editor page', () => {
  it('gets every node schema, the trigger and workflow schemas, credentials without data, and recent runs', async () => {
    const secret = 'https://discord.com/api/webhooks/1/builder-page-secret'
    const stored = await admin('/api/credentials', {
      method: 'POST',
      json: { name: 'builder-discord', type: 'discord-webhook', data: { url: secret } },
    })
    expect(stored.status).toBe(201)
    const workflow = await createWorkflow({
      name: 'Builder data',
      nodes: [{ id: 'shape', type: 'set', config: { fields: { who: '{{ input.name }}' } } }],
    })
    const { runId } = (await (await postWebhook(workflow, { name: 'Ada' })).json()) as any
    await waitForRun(runId)

    const { status, html } = await (await signedIn()).page(`/admin/workflows/${workflow.id}/edit`)
    expect(status).toBe(200)
    expect(html).not.toContain('builder-page-secret')
    const data = builderData(html)
    const discord = data.nodes.find((n: any) => n.type === 'discord-message')
    expect(discord).toMatchObject({ app: 'Discord', credentialTypes: ['discord-webhook'] })
    expect(discord.configSchema.properties.content.type).toBe('string')
    expect(data.credentials).toContainEqual({ name: 'builder-discord', type: 'discord-webhook' })
    const types = data.trigger.oneOf.map((t: any) => t.properties.type.const)
    expect(types).toEqual(expect.arrayContaining(['webhook', 'schedule']))
    expect(Object.keys(data.workflow.properties.nodes.items.properties)).toEqual(
      expect.arrayContaining(['if', 'forEach', 'retry', 'onError', 'timeoutMs']),
    )
    expect(data.samples).toEqual([
      {
        runId,
        label: expect.stringContaining('succeeded'),
        input: { name: 'Ada' },
        steps: { shape: { output: { who: 'Ada' } } },
      },
    ])
    expect(data.errors).toEqual([])
    // The sample panel's place, and the template reference, are on the page.
    expect(html).toContain(
      '<aside class="card" id="sample-slot" aria-label="Sample data" hidden="">',
    )
    expect(html).toContain('Templates: what {{ }} can read')
  })

  it("hands a refused save's errors to the form by field path", async () => {
    const browser = await signedIn()
    const definition = {
      name: 'Refused',
      nodes: [{ id: 'call', type: 'http-request', config: { method: 'POST' } }],
    }
    const answer = await browser.post('/admin/workflows/new', {
      definition: JSON.stringify(definition),
    })
    expect(answer.status).toBe(400)
    expect(builderData(answer.html).errors).toEqual([
      { path: 'nodes.0.config.url', message: expect.any(String) },
    ])
  })

  it('previews templates through the session, and refuses a form without its CSRF token', async () => {
    const browser = await signedIn()
    const body = JSON.stringify({
      definition: {
        nodes: [{ id: 'a', type: 'set', config: { fields: { x: 'Hi {{ run.input.name }}' } } }],
      },
      sample: { input: { name: 'Ada' } },
    })
    const answer = await browser.post('/admin/workflows/preview', { body })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.html).nodes[0].fields).toEqual([
      { path: 'nodes.0.config.fields.x', value: 'Hi Ada' },
    ])
    const forged = await postForm('/admin/workflows/preview', { body }, { cookie: browser.cookie })
    expect(forged.status).toBe(403)
    const bad = await browser.post('/admin/workflows/preview', { body: '{"definition": {}}' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.html).error.details[0].path).toBe('definition.nodes')
  })

  it("gives each node card its last test's verdict, through the session's test-step", async () => {
    const workflow = await createWorkflow({
      name: 'Last tests',
      nodes: [
        { id: 'greet', type: 'set', config: { fields: { who: '{{ input.name }}' } } },
        { id: 'charge', type: 'transform', config: { expression: '$error("card declined")' } },
        { id: 'untested', type: 'set', config: { fields: {} } },
      ],
    })
    const browser = await signedIn()
    const test = async (nodeId: string) => {
      const body = JSON.stringify({ nodeId, sample: { input: { name: 'Ada' } } })
      const answer = await browser.post(`/admin/workflows/${workflow.id}/test-step`, { body })
      expect(answer.status).toBe(200)
      return JSON.parse(answer.html)
    }
    await test('greet')
    const greet = await test('greet')
    const charge = await test('charge')
    const { html } = await browser.page(`/admin/workflows/${workflow.id}/edit`)
    const { lastTests } = builderData(html)
    expect(lastTests).toEqual({
      greet: {
        status: 'succeeded',
        error: null,
        durationMs: greet.durationMs,
        testedAt: expect.any(Number),
      },
      charge: {
        status: 'failed',
        error: { code: 'EXPRESSION_FAILED', message: 'JSONata evaluation failed: card declined' },
        durationMs: charge.durationMs,
        testedAt: expect.any(Number),
      },
    })
    // A verdict only: the output (Ada) is not on the page through it.
    expect(JSON.stringify(lastTests)).not.toContain('Ada')
  })
})
