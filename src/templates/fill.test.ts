import { describe, expect, it } from 'vitest'
import { templateContext, withItem } from './context'
import { fillConfig, fillTemplates, type EscapeRule } from './fill'
import { forEachList } from './for-each-list'
import { evaluateIf } from './condition'
import { failure } from '../../test/failure'

const context = templateContext({
  input: { id: 42, name: 'Ada', tags: ['a', 'b'], total: 114.5, paid: true, note: null },
  trigger: { type: 'webhook', headers: { 'x-shop': 'north' } },
  steps: { lookup: { output: { email: 'ada@example.com' } } },
  run: { id: 'run-1', workflowId: 'wf-1', startedAt: '2026-11-27T10:00:00.000Z' },
})

describe('fillTemplates', () => {
  it('keeps the type of a string that is exactly one template', async () => {
    const filled = await fillTemplates(
      {
        n: '{{ input.id }}',
        t: '{{ input.tags }}',
        b: '{{ input.paid }}',
        o: '{{ input }}',
        z: '{{ input.note }}',
      },
      context,
      ['config'],
    )
    expect(filled).toEqual({
      n: 42,
      t: ['a', 'b'],
      b: true,
      o: { id: 42, name: 'Ada', tags: ['a', 'b'], total: 114.5, paid: true, note: null },
      z: null,
    })
  })

  it('interpolates text, writing objects as JSON, at any depth', async () => {
    const filled = await fillTemplates(
      {
        url: 'https://api.test/orders/{{ input.id }}?shop={{ trigger.headers."x-shop" }}',
        body: {
          lines: [{ text: '{{ input.name }} <{{ steps.lookup.output.email }}> {{ input.tags }}' }],
        },
        untouched: 5,
      },
      context,
      ['config'],
    )
    expect(filled).toEqual({
      url: 'https://api.test/orders/42?shop=north',
      body: { lines: [{ text: 'Ada <ada@example.com> ["a","b"]' }] },
      untouched: 5,
    })
  })

  it('fails on a missing value, quoting the template and the field', async () => {
    const error = await failure(
      fillTemplates({ body: { to: 'x {{ steps.lookup.output.phone }}' } }, context, ['config']),
    )
    expect(error.code).toBe('TEMPLATE_FAILED')
    expect(error.message).toBe(
      'Template {{ steps.lookup.output.phone }} in config.body.to failed: it reads a missing value (nothing matched)',
    )
    expect(error.details).toMatchObject({
      field: 'config.body.to',
      template: '{{ steps.lookup.output.phone }}',
    })
  })

  it("fails on an evaluation error with JSONata's reason", async () => {
    const error = await failure(fillTemplates({ a: ['{{ input.name + 1 }}'] }, context, ['config']))
    expect(error.code).toBe('TEMPLATE_FAILED')
    expect(error.message).toMatch(
      /^Template \{\{ input\.name \+ 1 \}\} in config\.a\[0\] failed: .*number/,
    )
  })

  it('gives forEach elements item and index', async () => {
    const filled = await fillTemplates(
      '#{{ index }}: {{ item }}',
      withItem(context, 'sku-1', 2),
      [],
    )
    expect(filled).toBe('#2: sku-1')
  })
})

describe('evaluateIf', () => {
  it('uses JSONata truthiness, a missing field being false', async () => {
    expect(await evaluateIf('input.total > 100', context)).toBe(true)
    expect(await evaluateIf('{{ input.total > 200 }}', context)).toBe(false)
    expect(await evaluateIf('input.nothing', context)).toBe(false)
    expect(await evaluateIf('input.tags', context)).toBe(true)
  })

  it('fails the step when the condition cannot be evaluated', async () => {
    const error = await failure(evaluateIf('input.name > 3', context))
    expect(error.code).toBe('IF_FAILED')
    expect(error.message).toMatch(/^if 'input\.name > 3' failed: /)
  })
})

describe('forEachList', () => {
  it('yields the array, a single value as a list of one', async () => {
    expect(await forEachList('{{ input.tags }}', context)).toEqual(['a', 'b'])
    expect(await forEachList('{{ input.name }}', context)).toEqual(['Ada'])
    expect(await forEachList('{{ input.missing ?? [] }}', context)).toEqual([])
  })

  it('refuses a list over the limit and a missing one', async () => {
    const tooMany = await failure(forEachList('{{ [1..5] }}', context, 4))
    expect(tooMany.code).toBe('FOR_EACH_FAILED')
    expect(tooMany.message).toContain("yields 5 elements, over the node's limit of 4")
    const missing = await failure(forEachList('{{ input.lines }}', context))
    expect(missing.message).toContain('reads a missing value')
  })
})

describe('fillConfig with an escape rule', () => {
  // Brackets stand in for an app's escaping; the rule reads another field, itself templated.
  const rule: EscapeRule = {
    fields: ['text', 'blocks'],
    escaper: (config, path) =>
      config.mode === 'brackets' && path[path.length - 1] !== 'url' ? (t) => `[${t}]` : undefined,
  }

  it('escapes what expressions produce in the named fields, never the text around them', async () => {
    const filled = await fillConfig(
      {
        mode: '{{ "brack" & "ets" }}',
        text: '<{{ input.name }}> has {{ input.tags }}',
        blocks: [{ text: '{{ input.name }}', n: '{{ input.id }}', url: 'u?{{ input.name }}' }],
        other: '<{{ input.name }}>',
      },
      context,
      [],
      rule,
    )
    expect(filled).toEqual({
      mode: 'brackets',
      text: '<[Ada]> has [["a","b"]]',
      // A lone template that is not text keeps its type: only text is escaped.
      blocks: [{ text: '[Ada]', n: 42, url: 'u?Ada' }],
      other: '<Ada>',
    })
  })

  it('escapes nothing when the rule picks no escaper', async () => {
    const filled = await fillConfig({ mode: 'plain', text: '{{ input.name }}' }, context, [], rule)
    expect(filled).toEqual({ mode: 'plain', text: 'Ada' })
  })
})
