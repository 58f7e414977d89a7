import { describe, expect, it } from 'vitest'
import {
  canonical,
  describeRefusal,
  fileNameFor,
  fileText,
  lineDiff,
  planPull,
  planPush,
  schemaResolver,
  withDefaults,
  // @ts-expect-error: a plain .mjs module without types
} from './workflow-files.mjs'

// The shape GET /api/openapi.json gives (zod-to-openapi output), cut down to what matters here.
const document = {
  components: {
    schemas: {
      Workflow: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          enabled: { type: 'boolean', default: true },
          trigger: {
            anyOf: [
              {
                type: 'object',
                properties: { type: { type: 'string', enum: ['webhook'] } },
                required: ['type'],
              },
              {
                type: 'object',
                properties: {
                  type: { type: 'string', enum: ['schedule'] },
                  cron: { type: 'string' },
                  catchUp: { type: 'string', default: 'none' },
                },
                required: ['type', 'cron'],
              },
            ],
            default: { type: 'webhook' },
          },
          onError: { type: 'string', default: 'stop' },
          nodes: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        },
        required: ['name', 'nodes'],
      },
      Node: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          type: { type: 'string' },
          config: { type: 'object', additionalProperties: {}, default: {} },
          retry: {
            type: 'object',
            properties: { maxAttempts: { type: 'integer', default: 1 } },
          },
        },
      },
    },
  },
}
const schema = schemaResolver(document)

const stored = (id: string, definition: Record<string, unknown>) => ({
  id,
  version: 3,
  webhookUrl: `http://localhost:8787/hooks/${id}/token`,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
  enabled: true,
  trigger: { type: 'webhook' },
  onError: 'stop',
  ...definition,
})

const node = { id: 'a', type: 'transform', config: { expression: '$' } }

describe('a workflow as a file', () => {
  it('fills the defaults the server would, picking the trigger branch by its type', () => {
    expect(
      withDefaults(
        {
          name: 'x',
          trigger: { type: 'schedule', cron: '* * * * *' },
          nodes: [{ id: 'a', retry: {} }],
        },
        schema.workflow,
        schema.resolve,
      ),
    ).toEqual({
      name: 'x',
      enabled: true,
      trigger: { type: 'schedule', cron: '* * * * *', catchUp: 'none' },
      onError: 'stop',
      nodes: [{ id: 'a', config: {}, retry: { maxAttempts: 1 } }],
    })
  })

  it('orders keys as the schema does, then the rest alphabetically, at every depth', () => {
    const text = fileText(
      { nodes: [{ config: { z: 1, a: { y: 2, b: 3 } }, type: 't', id: 'n' }], zeta: 1, name: 'x' },
      schema,
    )
    expect(text).toBe(
      JSON.stringify(
        {
          name: 'x',
          nodes: [{ id: 'n', type: 't', config: { a: { b: 3, y: 2 }, z: 1 } }],
          zeta: 1,
        },
        null,
        2,
      ) + '\n',
    )
    expect(canonical([{ b: 1, a: 2 }], undefined, schema.resolve)).toEqual([{ a: 2, b: 1 }])
  })

  it('names a new file after the workflow, never over another', () => {
    expect(fileNameFor('New signup → Discord & Sheets!')).toBe('new-signup-discord-sheets.json')
    expect(fileNameFor('Café crème', ['cafe-creme.json'])).toBe('cafe-creme-2.json')
    expect(fileNameFor('!!!')).toBe('workflow.json')
  })
})

describe('push plan', () => {
  it('creates, updates only what changed, and deletes nothing without --prune', () => {
    const local = [
      { file: 'workflows/new.json', base: 'new.json', definition: { name: 'New', nodes: [node] } },
      // The server's defaults are not a change.
      {
        file: 'workflows/same.json',
        base: 'same.json',
        definition: { name: 'Same', nodes: [node] },
      },
      {
        file: 'workflows/edited.json',
        base: 'edited.json',
        definition: { name: 'Edited', enabled: false, nodes: [node] },
      },
    ]
    const remote = [
      stored('wf_same', { name: 'Same', nodes: [{ ...node }] }),
      stored('wf_edited', { name: 'Edited', nodes: [node] }),
      stored('wf_old', { name: 'Old', nodes: [node] }),
    ]
    const { actions, problems } = planPush({ local, remote, schema })
    expect(problems).toEqual([])
    expect(actions.map((a: { kind: string; name: string }) => `${a.kind} ${a.name}`)).toEqual([
      'create New',
      'unchanged Same',
      'update Edited',
      'remote-only Old',
    ])
    const update = actions[2]
    expect(update.id).toBe('wf_edited')
    expect(update.diff).toEqual([
      '  {',
      '    "name": "Edited",',
      '-   "enabled": true,',
      '+   "enabled": false,',
      '    "trigger": {',
      '      "type": "webhook"',
      '  ...',
    ])
    const pruned = planPush({ local, remote, schema, prune: true })
    expect(pruned.actions.at(-1)).toEqual({ kind: 'delete', name: 'Old', id: 'wf_old' })
  })

  it('reports files it cannot match, naming each file', () => {
    const { actions, problems } = planPush({
      local: [
        { file: 'w/broken.json', base: 'broken.json', error: 'not valid JSON: Unexpected end' },
        { file: 'w/nameless.json', base: 'nameless.json', definition: { nodes: [] } },
        { file: 'w/a.json', base: 'a.json', definition: { name: 'Twin', nodes: [] } },
        { file: 'w/b.json', base: 'b.json', definition: { name: 'Twin', nodes: [] } },
        { file: 'w/c.json', base: 'c.json', definition: { name: 'Dup', nodes: [] } },
      ],
      remote: [
        stored('wf_1', { name: 'Dup', nodes: [] }),
        stored('wf_2', { name: 'Dup', nodes: [] }),
      ],
      schema,
    })
    expect(problems).toEqual([
      'w/broken.json: not valid JSON: Unexpected end',
      'w/nameless.json: name: a workflow file needs a "name" (workflows match by name)',
      "w/a.json, w/b.json: the same name 'Twin' in 2 files",
      "w/c.json: 2 workflows on the server are named 'Dup' (wf_1, wf_2): rename one",
    ])
    expect(actions).toEqual([])
  })

  it('turns a refusal into one line per field path, prefixed by the file', () => {
    const body = {
      error: {
        code: 'VALIDATION_FAILED',
        message: 'Invalid request',
        details: [{ path: 'nodes.0.type', message: "unknown node type 'teleport'" }],
      },
    }
    expect(describeRefusal('workflows/x.json', 400, body)).toEqual([
      "workflows/x.json: nodes.0.type: unknown node type 'teleport'",
    ])
    expect(
      describeRefusal('workflows/x.json', 400, { error: { code: 'INVALID_JSON', message: 'bad' } }),
    ).toEqual(['workflows/x.json: bad'])
  })
})

describe('pull plan', () => {
  it('writes into the file holding the name, else a new one; deletes only with --prune', () => {
    const local = [
      { file: 'w/mine.json', base: 'mine.json', definition: { name: 'Kept name', nodes: [] } },
      { file: 'w/gone.json', base: 'gone.json', definition: { name: 'Gone', nodes: [] } },
      { file: 'w/bad.json', base: 'bad.json', error: 'not valid JSON' },
    ]
    const remote = [
      stored('wf_1', { name: 'Kept name', nodes: [node] }),
      stored('wf_2', { name: 'Brand new', nodes: [node] }),
    ]
    const plan = planPull({ local, remote, schema })
    expect(plan.writes.map((w: { base: string }) => w.base)).toEqual([
      'mine.json',
      'brand-new.json',
    ])
    expect(JSON.parse(plan.writes[0].text)).toEqual({
      name: 'Kept name',
      enabled: true,
      trigger: { type: 'webhook' },
      onError: 'stop',
      nodes: [node],
    })
    expect(plan).toMatchObject({ deletes: [], kept: ['gone.json'] })
    expect(planPull({ local, remote, schema, prune: true })).toMatchObject({
      deletes: ['gone.json'],
      kept: [],
    })
  })
})

describe('line diff', () => {
  it('shows changed lines with two lines of context and elides the rest', () => {
    const before = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n')
    const after = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'].join('\n')
    expect(lineDiff(before, after)).toEqual([
      '  ...',
      '  c',
      '  d',
      '- e',
      '+ E',
      '  f',
      '  g',
      '  ...',
    ])
    expect(lineDiff('', 'x\n')).toEqual(['+ x'])
  })
})
