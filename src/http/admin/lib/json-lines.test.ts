import { describe, expect, it } from 'vitest'
import { jsonValueLines, lineOfPath, syntaxErrorLine } from './json-lines'

const TEXT = `{
  "name": "x",
  "nodes": [
    { "id": "a", "type": "transform", "config": {} },
    {
      "id": "b",
      "config": { "url": "https://e.com/\\"q\\"" }
    }
  ],
  "tags": ["p", 1, null, true]
}`

describe('jsonValueLines', () => {
  it('finds the line of every value by its path', () => {
    const lines = jsonValueLines(TEXT)
    expect(lines.get('')).toBe(1)
    expect(lines.get('name')).toBe(2)
    expect(lines.get('nodes')).toBe(3)
    expect(lines.get('nodes.0')).toBe(4)
    expect(lines.get('nodes.0.config')).toBe(4)
    expect(lines.get('nodes.1')).toBe(5)
    expect(lines.get('nodes.1.id')).toBe(6)
    expect(lines.get('nodes.1.config.url')).toBe(7)
    expect(lines.get('tags.3')).toBe(10)
  })

  it('points a missing field at its nearest ancestor', () => {
    const lines = jsonValueLines(TEXT)
    expect(lineOfPath(lines, 'nodes.1.config.method')).toBe(7)
    expect(lineOfPath(lines, 'nodes.1.type')).toBe(5)
    expect(lineOfPath(lines, 'trigger.type')).toBe(1)
  })
})

describe('syntaxErrorLine', () => {
  it('finds the line where the text stops being JSON', () => {
    expect(syntaxErrorLine('{\n  "a": 1,\n  }')).toBe(3)
    expect(syntaxErrorLine('{\n  "name": "x",\n  "nodes": [\n}')).toBe(4)
    expect(syntaxErrorLine('{ name: 1 }')).toBe(1)
    expect(syntaxErrorLine('{"a": 1}\n\nx')).toBe(3)
    expect(syntaxErrorLine('{"a": "open')).toBe(1)
    expect(syntaxErrorLine('[1, 2.5e3, -0, true, null, "x\\"y"]')).toBeUndefined()
  })

  it('agrees with JSON.parse on what is JSON', () => {
    for (const text of [
      '{}',
      '[]',
      '"x"',
      '1',
      '{"a":[{"b":null}]}',
      '[01]',
      '{"a":1,}',
      '[1 2]',
      '',
    ]) {
      let valid = true
      try {
        JSON.parse(text)
      } catch {
        valid = false
      }
      expect(syntaxErrorLine(text) === undefined, text).toBe(valid)
    }
  })
})
