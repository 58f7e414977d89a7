import { describe, expect, it } from 'vitest'
import { admin } from '../../../test/helpers'
import { parseCron } from '../../schedules/cron'

async function preview(body: unknown) {
  const response = await admin('/api/workflows/preview', { method: 'POST', json: body })
  return { status: response.status, body: (await response.json()) as any }
}

describe('POST /api/workflows/preview', () => {
  const definition = {
    nodes: [
      { id: 'shape', type: 'set', config: { fields: { email: '{{ input.email }}' } } },
      {
        id: 'notify',
        type: 'discord-message',
        if: 'input.email != ""',
        config: {
          credential: 'team-discord',
          content: 'New: {{ steps.shape.output.email }} from {{ run.input.source }}',
          username: '{{ input.nosuch }}',
        },
      },
    ],
  }
  const sample = {
    input: { email: 'ada@example.com', source: 'form' },
    steps: { shape: { output: { email: 'ada@example.com' } } },
  }

  it("fills each template from the sample, and names a failing one's field in words", async () => {
    const { status, body } = await preview({ definition, sample })
    expect(status).toBe(200)
    const [shape, notify] = body.nodes
    expect(shape).toEqual({
      id: 'shape',
      config: { fields: { email: 'ada@example.com' } },
      fields: [{ path: 'nodes.0.config.fields.email', value: 'ada@example.com' }],
    })
    expect(notify.config).toBeUndefined()
    expect(notify.fields).toEqual([
      { path: 'nodes.1.if', value: true },
      { path: 'nodes.1.config.content', value: 'New: ada@example.com from form' },
      {
        path: 'nodes.1.config.username',
        error:
          'Template {{ input.nosuch }} in config.username failed: it reads a missing value (nothing matched)',
      },
    ])
  })

  it('says why a template does not parse, at its field', async () => {
    const broken = {
      nodes: [{ id: 'a', type: 'set', config: { fields: { x: '{{ input.( }}' } } }],
    }
    const { body } = await preview({ definition: broken, sample: { input: {} } })
    const [field] = body.nodes[0].fields
    expect(field.path).toBe('nodes.0.config.fields.x')
    expect(field.error).toMatch(/^Template \{\{ input\.\( \}\} in config\.fields\.x failed: /)
    expect(field.value).toBeUndefined()
  })

  it('evaluates a forEach and fills the config from its first element', async () => {
    const loop = {
      nodes: [
        {
          id: 'each',
          type: 'set',
          forEach: '{{ input.items }}',
          config: { fields: { sku: '{{ item.sku }}', at: '{{ index }}' } },
        },
      ],
    }
    const { body } = await preview({
      definition: loop,
      sample: { input: { items: [{ sku: 'a1' }, { sku: 'b2' }] } },
    })
    expect(body.nodes[0].config).toEqual({ fields: { sku: 'a1', at: 0 } })
    expect(body.nodes[0].fields[0]).toEqual({
      path: 'nodes.0.forEach',
      value: [{ sku: 'a1' }, { sku: 'b2' }],
    })
  })

  it("gives a schedule's next five fire times from the scheduler's own cron code", async () => {
    const schedule = {
      trigger: { type: 'schedule', cron: '30 9 * * 1-5', timezone: 'Europe/Berlin' },
      nodes: [{ id: 'a', type: 'set', config: { fields: {} } }],
    }
    const before = Date.now()
    const { body } = await preview({ definition: schedule, sample: {} })
    expect(body.nextFires.ok).toBe(true)
    expect(body.nextFires.times).toHaveLength(5)
    // Each is the cron's next time after the one before it.
    const cron = parseCron('30 9 * * 1-5', 'Europe/Berlin')
    let after = before
    for (const time of body.nextFires.times as string[]) {
      const expected = cron.nextRun(new Date(after))!.getTime()
      // The server read its clock a moment after `before`: same minute-aligned answer.
      expect(new Date(time).getTime()).toBe(expected)
      after = expected
    }
  })

  it('says which schedule field is wrong', async () => {
    const bad = (trigger: object) => ({
      definition: { trigger, nodes: [{ id: 'a', type: 'set', config: { fields: {} } }] },
      sample: {},
    })
    const cron = await preview(bad({ type: 'schedule', cron: '61 * * * *' }))
    expect(cron.body.nextFires).toMatchObject({ ok: false, field: 'cron' })
    expect(cron.body.nextFires.message).toMatch(/^invalid cron: /)
    const zone = await preview(bad({ type: 'schedule', cron: '* * * * *', timezone: 'Mars/Base' }))
    expect(zone.body.nextFires).toEqual({
      ok: false,
      field: 'timezone',
      message: "unknown time zone 'Mars/Base'; use an IANA name such as Europe/Berlin or UTC",
    })
  })

  it('refuses a body without nodes, naming the field', async () => {
    const { status, body } = await preview({ definition: {}, sample: {} })
    expect(status).toBe(400)
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.details).toEqual([{ path: 'definition.nodes', message: expect.any(String) }])
  })
})

describe('GET /api/nodes/:type', () => {
  it("answers one node's JSON Schema, app and credential types", async () => {
    const response = await admin('/api/nodes/discord-message')
    expect(response.status).toBe(200)
    const node = (await response.json()) as any
    expect(node).toMatchObject({
      type: 'discord-message',
      app: 'Discord',
      credentialTypes: ['discord-webhook'],
      effectful: true,
    })
    expect(node.configSchema.required).toEqual(['credential'])
    expect(node.configSchema.properties.long).toMatchObject({
      enum: ['fail', 'split'],
      default: 'fail',
    })
  })

  it('marks a pure node as without effects, and 404s an unknown type', async () => {
    const set = (await (await admin('/api/nodes/set')).json()) as any
    expect(set).toMatchObject({ type: 'set', credentialTypes: [], effectful: false })
    expect(set.app).toBeUndefined()
    const missing = await admin('/api/nodes/nosuch')
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as any).error).toEqual({
      code: 'NOT_FOUND',
      message: "No node type 'nosuch'",
    })
  })
})
