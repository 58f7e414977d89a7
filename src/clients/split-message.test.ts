import { describe, expect, it } from 'vitest'
import { failure } from '../../test/failure'
import { visibleLength } from './markup-tokens'
import { splitMessage } from './split-message'

describe('splitMessage', () => {
  it('counts what the reader sees: tags, entities and escapes are not characters', () => {
    expect(visibleLength('<b>a &amp; b</b>', 'HTML')).toBe(5)
    expect(visibleLength('*a\\.b* [link](https://x.test/a_b)', 'MarkdownV2')).toBe(8)
    expect(visibleLength('\\_a_', 'Markdown')).toBe(2)
  })

  it('cuts between spans, never inside one, an escape or an entity', () => {
    const text = 'aaaa <b>bb &amp; bb</b> cc'
    expect(splitMessage(text, 'HTML', 12, 'config.text')).toEqual(['aaaa <b>bb &amp; bb</b>', 'cc'])
    expect(splitMessage(text, 'HTML', 11, 'config.text')).toEqual(['aaaa', '<b>bb &amp; bb</b> cc'])
    expect(splitMessage('abc\\.\\.\\.', 'MarkdownV2', 4, 'config.text')).toEqual([
      'abc\\.',
      '\\.\\.',
    ])
  })

  it('prefers a line break in the second half of the room, then a space', () => {
    expect(splitMessage('ab\ncdef gh\nij', 'plain', 9, 't')).toEqual(['ab\ncdef', 'gh\nij'])
    expect(splitMessage('ab cdefghij', 'plain', 9, 't')).toEqual(['ab', 'cdefghij'])
    expect(splitMessage('abcdefghij', 'plain', 9, 't')).toEqual(['abcdefghi', 'j'])
  })

  it('fails with MESSAGE_TOO_LONG when one span is longer than a message', async () => {
    const error = await failure(
      Promise.resolve().then(() => splitMessage('x <pre>0123456789</pre>', 'HTML', 6, 'text')),
    )
    expect(error).toMatchObject({ code: 'MESSAGE_TOO_LONG', retryable: false })
    expect(error.message).toContain('text: a formatted span')
  })
})
