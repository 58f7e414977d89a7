import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow } from '../../../test/helpers'
import { signedIn } from '../../../test/admin-session'

const definition = {
  name: 'Pinned sample',
  nodes: [{ id: 'a', type: 'set', config: { fields: { x: 1 } } }],
}

async function sampleOf(id: string) {
  const response = await admin(`/api/workflows/${id}/sample`)
  return { status: response.status, body: (await response.json()) as any }
}

describe('GET and PUT /api/workflows/:id/sample', () => {
  it('reads nothing pinned, pins a payload, replaces it, and forgets it with the workflow', async () => {
    const workflow = await createWorkflow(definition)
    expect((await sampleOf(workflow.id)).body).toEqual({
      pinned: false,
      input: {},
      updatedAt: null,
    })

    for (const input of [{ name: 'Ada' }, { name: 'Grace', tags: ['a'] }]) {
      const put = await admin(`/api/workflows/${workflow.id}/sample`, {
        method: 'PUT',
        json: { input },
      })
      expect(put.status).toBe(200)
      expect(((await put.json()) as any).input).toEqual(input)
    }
    const { body } = await sampleOf(workflow.id)
    expect(body).toEqual({
      pinned: true,
      input: { name: 'Grace', tags: ['a'] },
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })

    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    const row = await env.DB.prepare(
      'SELECT count(*) AS n FROM workflow_samples WHERE workflow_id = ?',
    )
      .bind(workflow.id)
      .first<{ n: number }>()
    expect(row!.n).toBe(0)
    expect((await sampleOf(workflow.id)).status).toBe(404)
  })

  it('refuses an unknown workflow, a body without input, and a payload too large to pin', async () => {
    const missing = await admin('/api/workflows/wf_nosuch/sample', {
      method: 'PUT',
      json: { input: {} },
    })
    expect(missing.status).toBe(404)
    const workflow = await createWorkflow(definition)
    const large = await admin(`/api/workflows/${workflow.id}/sample`, {
      method: 'PUT',
      json: { input: { text: 'x'.repeat(256 * 1024) } },
    })
    expect(large.status).toBe(400)
    expect(((await large.json()) as any).error.details).toEqual([
      { path: 'input', message: 'at most 262144 characters of JSON' },
    ])
    expect((await sampleOf(workflow.id)).body.pinned).toBe(false)
  })

  it('is what Run now sent last, and the workflow page offers it again', async () => {
    const workflow = await createWorkflow(definition)
    const browser = await signedIn()
    const run = await browser.post(`/admin/workflows/${workflow.id}/run`, {
      payload: '{ "name": "Ada" }',
    })
    expect(run.status).toBe(303)
    expect((await sampleOf(workflow.id)).body.input).toEqual({ name: 'Ada' })
    const { html } = await browser.page(`/admin/workflows/${workflow.id}`)
    expect(html).toContain('{\n  &quot;name&quot;: &quot;Ada&quot;\n}</textarea>')
  })

  it('is pinned from the sample panel through the session', async () => {
    const workflow = await createWorkflow(definition)
    const browser = await signedIn()
    const pinned = await browser.post(`/admin/workflows/${workflow.id}/sample`, {
      body: JSON.stringify({ input: { from: 'panel' } }),
    })
    expect(pinned.status).toBe(200)
    expect((await sampleOf(workflow.id)).body.input).toEqual({ from: 'panel' })
  })
})
