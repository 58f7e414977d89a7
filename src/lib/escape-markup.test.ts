import { describe, expect, it } from 'vitest'
import {
  escapeDiscord,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownV2,
  escapeSlack,
} from './escape-markup'
import { evaluateExpression } from './jsonata'

describe('escaping for each app', () => {
  it('escapes exactly the characters each markup reserves', () => {
    expect(escapeSlack('<!channel> & *bold*')).toBe('&lt;!channel&gt; &amp; *bold*')
    expect(escapeHtml('<b> & "q"')).toBe('&lt;b&gt; &amp; &quot;q&quot;')
    expect(escapeMarkdownV2('_*[]()~`>#+-=|{}.!\\ ok')).toBe(
      '\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\ ok',
    )
    expect(escapeMarkdown('a_b*c`d[e]. ok')).toBe('a\\_b\\*c\\`d\\[e]. ok')
    expect(escapeDiscord('*b* _i_ ~~s~~ `c` ||x|| > q # h - l [t](u) <@1> \\ 3.5!')).toBe(
      '\\*b\\* \\_i\\_ \\~\\~s\\~\\~ \\`c\\` \\|\\|x\\|\\| \\> q \\# h \\- l ' +
        '\\[t\\]\\(u\\) \\<@1\\> \\\\ 3.5!',
    )
  })

  it('leaves a bare URL in Discord text as it is, so it still links', () => {
    expect(escapeDiscord('see https://shop.test/a_b?x=1&y=(2) and _this_')).toBe(
      'see https://shop.test/a_b?x=1&y=(2) and \\_this\\_',
    )
  })

  it('offers each as a JSONata function, for text put together by hand', async () => {
    const input = { name: 'Ada_L.', total: 1.5 }
    expect(await evaluateExpression('$escapeMarkdownV2(name)', input)).toBe('Ada\\_L\\.')
    expect(await evaluateExpression('$escapeMarkdownV2(total)', input)).toBe('1\\.5')
    expect(await evaluateExpression('$escapeMarkdown(name)', input)).toBe('Ada\\_L.')
    expect(await evaluateExpression('$escapeHtml("<i>")', input)).toBe('&lt;i&gt;')
    expect(await evaluateExpression('$escapeSlack("a&b")', input)).toBe('a&amp;b')
    expect(await evaluateExpression('$escapeDiscord("**hi**")', input)).toBe('\\*\\*hi\\*\\*')
    expect(await evaluateExpression('$escapeSlack(missing)', input)).toBeUndefined()
  })
})
