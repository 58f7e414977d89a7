import { describe, expect, it } from 'vitest'
import { diffLines, foldUnchanged } from './line-diff'

describe('diffLines', () => {
  it('marks added, removed and kept lines in order', () => {
    const diff = diffLines('a\nb\nc\nd', 'a\nc\nx\nd')
    expect(diff).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'add', text: 'x' },
      { kind: 'same', text: 'd' },
    ])
  })

  it('says nothing changed for equal texts', () => {
    expect(diffLines('a\nb', 'a\nb').every((l) => l.kind === 'same')).toBe(true)
  })

  it('rebuilds both sides from the diff', () => {
    const before = '{\n  "a": 1,\n  "b": [1, 2],\n  "c": "x"\n}'
    const after = '{\n  "a": 2,\n  "b": [1, 2],\n  "d": true,\n  "c": "x"\n}'
    const diff = diffLines(before, after)
    const side = (skip: string) =>
      diff
        .filter((l) => l.kind !== skip)
        .map((l) => l.text)
        .join('\n')
    expect(side('add')).toBe(before)
    expect(side('del')).toBe(after)
  })
})

describe('foldUnchanged', () => {
  it('keeps context around changes and folds the rest', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')
    const after = before.replace('line 10', 'line ten')
    const hunks = foldUnchanged(diffLines(before, after), 2)
    expect(hunks[0]).toEqual({ kind: 'gap', lines: 8 })
    expect(hunks.slice(1, 7).map((h) => h.kind)).toEqual([
      'same',
      'same',
      'del',
      'add',
      'same',
      'same',
    ])
    expect(hunks[7]).toEqual({ kind: 'gap', lines: 7 })
  })
})
