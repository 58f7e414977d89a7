import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { signedIn } from '../../../test/admin-session'
import { admin, createWorkflow } from '../../../test/helpers'

async function testStep(workflowId: string, body: unknown) {
  const response = await admin(`/api/workflows/${workflowId}/test-step`, {
    method: 'POST',
    json: body,
  })
  expect(response.status).toBe(200)
  return (await response.json()) as any
}

async function stepTests(workflowId: string, query = '') {
  const response = await admin(`/api/workflows/${workflowId}/step-tests${query}`)
  return { status: response.status, body: (await response.json()) as any }
}

/** The workflow's rows as D1 holds them, every column. */
async function rows(workflowId: string) {
  const { results } = await env.DB.prepare(
    'SELECT * FROM step_tests WHERE workflow_id = ? ORDER BY id',
  )
    .bind(workflowId)
    .all<Record<string, unknown>>()
  return results
}

const twoNodes = {
  name: 'Step tests recorded',
  nodes: [
    { id: 'greet', type: 'set', config: { fields: { who: 'Hi {{ input.name }}' } } },
    { id: 'charge', type: 'transform', config: { expression: '$error("card declined")' } },
  ],
}

describe('step tests: one record per "Test this step"', () => {
  it('records a success and a failure, verdicts only, listed newest first and by node', async () => {
    const workflow = await createWorkflow(twoNodes)
    const ok = await testStep(workflow.id, { nodeId: 'greet', sample: { input: { name: 'Ada' } } })
    const failed = await testStep(workflow.id, { nodeId: 'charge', sample: { input: {} } })
    // The editor sends its text: a changed node is a draft, an unchanged one is not.
    const draft = structuredClone(twoNodes)
    draft.nodes[0]!.config = { fields: { who: 'Hello {{ input.name }}' } }
    const edited = await testStep(workflow.id, {
      nodeId: 'greet',
      sample: { input: { name: 'Ada' } },
      definition: draft,
    })
    const same = await testStep(workflow.id, {
      nodeId: 'charge',
      sample: { input: {} },
      definition: draft,
    })

    const { status, body } = await stepTests(workflow.id)
    expect(status).toBe(200)
    expect(body.stepTests.map((t: any) => t.id)).toEqual([
      same.testId,
      edited.testId,
      failed.testId,
      ok.testId,
    ])
    expect(body.stepTests[3]).toEqual({
      id: ok.testId,
      workflowId: workflow.id,
      nodeId: 'greet',
      nodeType: 'set',
      workflowVersion: 1,
      draft: false,
      status: 'succeeded',
      error: null,
      durationMs: ok.durationMs,
      testedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(body.stepTests[2]).toMatchObject({
      nodeId: 'charge',
      nodeType: 'transform',
      status: 'failed',
      error: { code: 'EXPRESSION_FAILED', message: 'JSONata evaluation failed: card declined' },
      durationMs: failed.durationMs,
    })
    expect(body.stepTests[1]).toMatchObject({ nodeId: 'greet', draft: true })
    expect(body.stepTests[0]).toMatchObject({ nodeId: 'charge', draft: false })

    const greet = await stepTests(workflow.id, '?nodeId=greet')
    expect(greet.body.stepTests.map((t: any) => t.id)).toEqual([edited.testId, ok.testId])
    expect((await stepTests(workflow.id, '?nodeId=nosuch')).body.stepTests).toEqual([])

    // Neither the filled-in config nor the output is stored: only these columns, no Ada.
    const stored = await rows(workflow.id)
    expect(Object.keys(stored[0]!).sort()).toEqual(
      [
        'draft',
        'duration_ms',
        'error_code',
        'error_message',
        'id',
        'node_id',
        'node_type',
        'status',
        'tested_at',
        'workflow_id',
        'workflow_version',
      ].sort(),
    )
    expect(JSON.stringify(stored)).not.toContain('Ada')
  })

  it('is described in the OpenAPI document, with the testId of a test', async () => {
    const document = (await (await admin('/api/openapi.json')).json()) as any
    const list = document.paths['/api/workflows/{id}/step-tests'].get
    expect(list.parameters.map((p: any) => p.name)).toEqual(['id', 'nodeId'])
    expect(document.components.schemas.StepTest.required).toContain('testId')
    expect(Object.keys(document.components.schemas.StepTestRecord.properties)).toContain('draft')
  })

  it('answers 404 for an unknown workflow', async () => {
    expect((await stepTests('wf_nosuch')).status).toBe(404)
  })

  it("stores a failing step's error redacted, as the answer has it", async () => {
    const secret = 'sk-stepTestSecretValue0123456789'
    const workflow = await createWorkflow({
      name: 'Secret in an error',
      nodes: [{ id: 'leak', type: 'transform', config: { expression: `$error("${secret}")` } }],
    })
    const answer = await testStep(workflow.id, { nodeId: 'leak', sample: { input: {} } })
    // The message is redacted; its details (which quote the config the answer shows) are not kept.
    expect(answer.error.message).toBe('JSONata evaluation failed: [redacted]')
    const [row] = await rows(workflow.id)
    expect(row).toMatchObject({
      status: 'failed',
      error_code: 'EXPRESSION_FAILED',
      error_message: 'JSONata evaluation failed: [redacted]',
    })
    expect(JSON.stringify(row)).not.toContain(secret)
  })

  it('never shows a step test as a run: not in GET /api/runs, the inbox or the dashboard', async () => {
    const session = await signedIn()
    const figures = async () => {
      const { html } = await session.page('/admin')
      const stat = (label: string) =>
        new RegExp(`<p class="label">${label}</p><div class="value">([^<]*)</div>`).exec(html)?.[1]
      const inbox = /Inbox<\/p><div class="value"><a href="\/admin\/inbox">(\d+)</.exec(html)?.[1]
      return { runs: stat('Runs, 24 h'), rate: stat('Success rate'), inbox, html }
    }
    const before = await figures()
    const workflow = await createWorkflow({ ...twoNodes, name: 'Never a run' })
    await testStep(workflow.id, { nodeId: 'charge', sample: { input: {} } })
    await testStep(workflow.id, { nodeId: 'greet', sample: { input: { name: 'Ada' } } })
    expect((await stepTests(workflow.id)).body.stepTests).toHaveLength(2)

    const runs = (await (await admin('/api/runs')).json()) as any
    expect(runs.runs.filter((r: any) => r.workflowId === workflow.id)).toEqual([])
    const scoped = (await (await admin(`/api/runs?workflowId=${workflow.id}`)).json()) as any
    expect(scoped.runs).toEqual([])
    const inbox = await session.page('/admin/inbox')
    expect(inbox.status).toBe(200)
    expect(inbox.html).not.toContain(workflow.id)
    expect(inbox.html).not.toContain('card declined')
    const after = await figures()
    expect({ runs: after.runs, rate: after.rate, inbox: after.inbox }).toEqual({
      runs: before.runs,
      rate: before.rate,
      inbox: before.inbox,
    })
    expect(after.html).not.toContain(workflow.id)
  })

  it('deleting the workflow deletes its step tests', async () => {
    const workflow = await createWorkflow({ ...twoNodes, name: 'Deleted with its tests' })
    const other = await createWorkflow({ ...twoNodes, name: 'Kept with its tests' })
    await testStep(workflow.id, { nodeId: 'greet', sample: { input: {} } })
    await testStep(other.id, { nodeId: 'greet', sample: { input: {} } })
    expect(await rows(workflow.id)).toHaveLength(1)
    const deleted = await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })
    expect(deleted.status).toBeLessThan(300)
    expect(await rows(workflow.id)).toEqual([])
    expect(await rows(other.id)).toHaveLength(1)
  })
})
