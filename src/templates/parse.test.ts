import { describe, expect, it } from 'vitest'
import { fieldExpression, parseTemplate, soleExpression } from './parse'

describe('parseTemplate', () => {
  it('splits text and templates, trimming the expression', () => {
    expect(parseTemplate('Order {{ input.id }} for {{input.name}}!')).toEqual({
      ok: true,
      segments: [
        { kind: 'text', text: 'Order ' },
        { kind: 'expr', source: 'input.id', raw: '{{ input.id }}' },
        { kind: 'text', text: ' for ' },
        { kind: 'expr', source: 'input.name', raw: '{{input.name}}' },
        { kind: 'text', text: '!' },
      ],
    })
  })

  it('reads an object constructor and strings holding braces as one expression', () => {
    const parsed = parseTemplate('{{ {"a": {"b": "}}"}} }}')
    expect(parsed.ok && parsed.segments).toEqual([
      { kind: 'expr', source: '{"a": {"b": "}}"}}', raw: '{{ {"a": {"b": "}}"}} }}' },
    ])
  })

  it('skips comments, escaped quotes and backtick names', () => {
    const parsed = parseTemplate(`{{ /* }} */ 'it\\'s }}' & steps.\`a}}b\`.output }}`)
    expect(parsed.ok && parsed.segments.length).toBe(1)
  })

  it('refuses an unclosed or empty template, saying where', () => {
    expect(parseTemplate('a {{ input.id')).toEqual({
      ok: false,
      error: "'{{' at character 2 is never closed by '}}'",
    })
    expect(parseTemplate('{{  }}')).toEqual({
      ok: false,
      error: "empty template '{{}}' at character 0",
    })
  })

  it('knows a string that is exactly one template', () => {
    const only = parseTemplate('{{ input.n }}')
    const around = parseTemplate(' {{ input.n }}')
    expect(only.ok && soleExpression(only.segments)).toBe('input.n')
    expect(around.ok && soleExpression(around.segments)).toBeUndefined()
  })
})

describe('fieldExpression', () => {
  it('takes plain JSONata or one template', () => {
    expect(fieldExpression('input.total > 5')).toMatchObject({
      ok: true,
      source: 'input.total > 5',
    })
    expect(fieldExpression(' {{ input.items }} ')).toMatchObject({
      ok: true,
      source: 'input.items',
    })
    expect(fieldExpression('x {{ input.items }}')).toMatchObject({ ok: false })
  })
})
