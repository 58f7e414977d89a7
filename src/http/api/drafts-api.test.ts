import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postAndWait, waitForAccepted } from '../../../test/helpers'

type ErrorBody = {
  error: { code: string; message: string; details?: { path: string; message: string }[] }
}

/** A workflow whose one node says which definition ran: its id is `node`. */
function echoing(node: string, extra: Record<string, unknown> = {}) {
  return {
    name: 'Drafts',
    nodes: [{ id: node, type: 'transform', config: { expression: `{ "ran": "${node}" }` } }],
    ...extra,
  }
}

function saveDraft(id: string, definition: unknown) {
  return admin(`/api/workflows/${id}?draft=true`, { method: 'PUT', json: definition })
}

async function read(id: string) {
  return (await (await admin(`/api/workflows/${id}`)).json()) as Record<string, any>
}

async function listed(id: string) {
  const { workflows } = (await (await admin('/api/workflows')).json()) as {
    workflows: { id: string; hasDraft: boolean; version: number }[]
  }
  return workflows.find((w) => w.id === id)!
}

async function draftRows(id: string) {
  const row = await env.DB.prepare(
    'SELECT count(*) AS n FROM workflow_drafts WHERE workflow_id = ?',
  )
    .bind(id)
    .first<{ n: number }>()
  return row!.n
}

describe('drafts: PUT ?draft=true, publish, discard', () => {
  it('keeps webhooks and Run now on the live version until the draft is published', async () => {
    const workflow = await createWorkflow(echoing('live'))
    expect((await read(workflow.id)).draft).toBeUndefined()
    expect((await listed(workflow.id)).hasDraft).toBe(false)

    const saved = await saveDraft(workflow.id, echoing('draft'))
    expect(saved.status).toBe(200)
    const body = (await saved.json()) as Record<string, any>
    expect(body).toMatchObject({ id: workflow.id, version: 1, nodes: [{ id: 'live' }] })
    expect(body.draft).toEqual({
      definition: {
        ...echoing('draft'),
        enabled: true,
        trigger: { type: 'webhook' },
        onError: 'stop',
      },
      savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(body.warnings).toBeUndefined()

    const shown = await read(workflow.id)
    expect(shown).toMatchObject({ version: 1, nodes: [{ id: 'live' }] })
    expect(shown.draft).toEqual(body.draft)
    expect(await listed(workflow.id)).toMatchObject({ hasDraft: true, version: 1 })

    const hooked = await postAndWait(workflow, { n: 1 })
    expect(hooked.steps.map((s) => s.nodeId)).toEqual(['live'])
    expect(hooked.output).toEqual({ ran: 'live' })
    const byHand = await waitForAccepted(
      await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST', json: {} }),
    )
    expect(byHand.output).toEqual({ ran: 'live' })

    const published = await admin(`/api/workflows/${workflow.id}/publish`, { method: 'POST' })
    expect(published.status).toBe(200)
    expect(await published.json()).toMatchObject({
      id: workflow.id,
      version: 2,
      nodes: [{ id: 'draft' }],
    })
    expect((await read(workflow.id)).draft).toBeUndefined()
    expect(await listed(workflow.id)).toMatchObject({ hasDraft: false, version: 2 })
    const after = await postAndWait(workflow, { n: 2 })
    expect(after.steps.map((s) => s.nodeId)).toEqual(['draft'])
    expect(after.workflowVersion).toBe(2)

    // Nothing left to publish.
    const again = await admin(`/api/workflows/${workflow.id}/publish`, { method: 'POST' })
    expect(again.status).toBe(409)
    const error = ((await again.json()) as ErrorBody).error
    expect(error.code).toBe('NO_DRAFT')
    expect(error.message).toContain(workflow.id)
  })

  it('replaces a draft with the next one, and publishes the last', async () => {
    const workflow = await createWorkflow(echoing('live'))
    expect((await saveDraft(workflow.id, echoing('first'))).status).toBe(200)
    expect((await saveDraft(workflow.id, echoing('second'))).status).toBe(200)
    expect(await draftRows(workflow.id)).toBe(1)
    expect((await read(workflow.id)).draft.definition.nodes[0].id).toBe('second')
    await admin(`/api/workflows/${workflow.id}/publish`, { method: 'POST' })
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'second' })
  })

  it('refuses a bad draft as a save would, naming the field, and keeps the draft before it', async () => {
    const workflow = await createWorkflow(echoing('live'))
    await saveDraft(workflow.id, echoing('kept'))
    const bad = await saveDraft(workflow.id, {
      ...echoing('broken'),
      nodes: [{ id: 'call', type: 'http-request', config: { url: 'not a url' } }],
      colour: 'blue',
    })
    expect(bad.status).toBe(400)
    const error = ((await bad.json()) as ErrorBody).error
    expect(error.code).toBe('VALIDATION_FAILED')
    const paths = error.details!.map((d) => d.path)
    expect(paths).toContain('nodes.0.config.url')
    // An unknown key is named too, as a plain save names it.
    expect(error.details).toContainEqual({
      path: '(body)',
      message: expect.stringContaining('colour'),
    })
    expect((await read(workflow.id)).draft.definition.nodes[0].id).toBe('kept')

    const flag = await admin(`/api/workflows/${workflow.id}?draft=maybe`, {
      method: 'PUT',
      json: echoing('x'),
    })
    expect(flag.status).toBe(400)
    expect(((await flag.json()) as ErrorBody).error.details![0]!.path).toBe('query.draft')
  })

  it('runs the credential, poll credential and tool-name checks, with warnings', async () => {
    const stored = await admin('/api/credentials', {
      method: 'POST',
      json: {
        name: 'drafts-slack',
        type: 'slack-webhook',
        data: { url: 'https://hooks.slack.com/services/T1/B2/c3' },
      },
    })
    expect(stored.status).toBe(201)
    const workflow = await createWorkflow(echoing('live'))
    const wrongType = await saveDraft(workflow.id, {
      ...echoing('x'),
      nodes: [
        { id: 'x', type: 'discord-message', config: { credential: 'drafts-slack', content: 'hi' } },
      ],
    })
    expect(wrongType.status).toBe(400)
    expect(((await wrongType.json()) as ErrorBody).error.details).toContainEqual(
      expect.objectContaining({ path: 'nodes.0.config.credential' }),
    )
    const poll = await saveDraft(workflow.id, {
      ...echoing('x'),
      trigger: {
        type: 'poll',
        source: 'http-poll',
        every: '5m',
        config: {
          url: 'https://api.example.com/items',
          credential: 'drafts-slack',
          items: 'items',
          id: 'id',
        },
      },
    })
    expect(poll.status).toBe(400)
    expect(((await poll.json()) as ErrorBody).error.details).toContainEqual(
      expect.objectContaining({ path: 'trigger.config.credential' }),
    )

    const owner = await createWorkflow({
      ...echoing('tool'),
      mcp: { tool: 'drafts_owned_tool', description: 'x' },
    })
    const clash = await saveDraft(workflow.id, {
      ...echoing('x'),
      mcp: { tool: 'drafts_owned_tool', description: 'x' },
    })
    expect(clash.status).toBe(400)
    expect(await clash.text()).toContain(`is already the tool of workflow ${owner.id}`)

    const missing = await saveDraft(workflow.id, {
      ...echoing('x'),
      nodes: [
        { id: 'x', type: 'slack-message', config: { credential: 'drafts-nope', text: 'hi' } },
      ],
    })
    expect(missing.status).toBe(200)
    expect(
      ((await missing.json()) as { warnings: { code: string; path: string }[] }).warnings,
    ).toEqual([
      expect.objectContaining({ code: 'CREDENTIAL_MISSING', path: 'nodes.0.config.credential' }),
    ])
    // A draft's tool is no tool yet: the name stays free for another workflow's save.
    expect((await read(workflow.id)).mcp).toBeUndefined()
  })

  it('syncs a schedule or a poll only when the draft that adds it is published', async () => {
    const row = (table: string, id: string) =>
      env.DB.prepare(`SELECT workflow_version AS v FROM ${table} WHERE workflow_id = ?`)
        .bind(id)
        .first<{ v: number }>()
    const publish = (id: string) => admin(`/api/workflows/${id}/publish`, { method: 'POST' })

    const scheduled = await createWorkflow(echoing('live'))
    const cron = { ...echoing('cron'), trigger: { type: 'schedule', cron: '0 9 * * 1' } }
    expect((await saveDraft(scheduled.id, cron)).status).toBe(200)
    expect(await row('schedules', scheduled.id)).toBeNull()
    expect((await publish(scheduled.id)).status).toBe(200)
    expect(await row('schedules', scheduled.id)).toEqual({ v: 2 })

    const polled = await createWorkflow(echoing('live'))
    const poll = {
      ...echoing('poll'),
      trigger: {
        type: 'poll',
        source: 'http-poll',
        every: '5m',
        config: { url: 'https://api.example.com/items', items: 'items', id: 'id' },
      },
    }
    expect((await saveDraft(polled.id, poll)).status).toBe(200)
    expect(await row('poll_state', polled.id)).toBeNull()
    expect((await publish(polled.id)).status).toBe(200)
    expect(await row('poll_state', polled.id)).toEqual({ v: 2 })
  })

  it('is discarded by DELETE .../draft, by a plain PUT, and with its workflow', async () => {
    const workflow = await createWorkflow(echoing('live'))
    await saveDraft(workflow.id, echoing('draft'))
    const discarded = await admin(`/api/workflows/${workflow.id}/draft`, { method: 'DELETE' })
    expect(discarded.status).toBe(204)
    expect((await read(workflow.id)).draft).toBeUndefined()
    expect((await admin(`/api/workflows/${workflow.id}/draft`, { method: 'DELETE' })).status).toBe(
      204,
    )
    const version = (await read(workflow.id)).version
    expect(version).toBe(1)

    // A plain PUT is a new live version and replaces the draft: the draft is gone, not published.
    await saveDraft(workflow.id, echoing('draft'))
    const put = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: echoing('put'),
    })
    expect(put.status).toBe(200)
    expect((await read(workflow.id)).draft).toBeUndefined()
    expect((await postAndWait(workflow, {})).output).toEqual({ ran: 'put' })

    await saveDraft(workflow.id, echoing('draft'))
    expect(await draftRows(workflow.id)).toBe(1)
    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await draftRows(workflow.id)).toBe(0)
  })

  it('answers 404 for an unknown workflow on every draft route, and saves nothing', async () => {
    const id = 'wf_nodraftshere'
    expect((await saveDraft(id, echoing('x'))).status).toBe(404)
    expect(await draftRows(id)).toBe(0)
    expect((await admin(`/api/workflows/${id}/publish`, { method: 'POST' })).status).toBe(404)
    expect((await admin(`/api/workflows/${id}/draft`, { method: 'DELETE' })).status).toBe(404)
  })
})

describe('drafts in GET /api/openapi.json', () => {
  it('documents the draft query, publish and discard, and the draft fields', async () => {
    const document = (await (await admin('/api/openapi.json')).json()) as any
    const put = document.paths['/api/workflows/{id}'].put
    expect(put.parameters).toContainEqual(
      expect.objectContaining({ name: 'draft', in: 'query', schema: expect.anything() }),
    )
    const publish = document.paths['/api/workflows/{id}/publish'].post
    expect(Object.keys(publish.responses)).toEqual(expect.arrayContaining(['200', '404', '409']))
    expect(document.paths['/api/workflows/{id}/draft'].delete.responses['204']).toBeDefined()
    const schemas = document.components.schemas
    expect(JSON.stringify(schemas.WorkflowWithDraft.properties.draft)).toContain('savedAt')
    expect(Object.keys(schemas.ListedWorkflow.properties)).toContain('hasDraft')
  })
})
