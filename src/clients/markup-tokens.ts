// A message's text read as the app reads its markup, in pieces that are never cut: an escape, a
// tag, an entity, a character. Enough to count what the reader sees and to know where a message
// may be split without cutting a formatted span in two; the app itself judges whether the markup
// is valid.

export type Markup = 'plain' | 'MarkdownV2' | 'HTML' | 'Markdown'

export type Token = {
  raw: string
  /** Characters the reader sees (UTF-16 units, as the apps count). */
  visible: number
  /** Formatted spans still open after this piece: a message may only be split where it is 0. */
  depth: number
  space?: 'newline' | 'space'
}

export function tokenize(text: string, markup: Markup): Token[] {
  if (markup === 'HTML') return htmlTokens(text)
  if (markup === 'MarkdownV2') return markdownV2Tokens(text)
  if (markup === 'Markdown') return markdownTokens(text)
  return [...text].map((c) => plain(c, 0))
}

/** What the reader sees: Telegram counts its 4,096 after the markup is parsed. */
export function visibleLength(text: string, markup: Markup): number {
  return tokenize(text, markup).reduce((sum, token) => sum + token.visible, 0)
}

function plain(raw: string, depth: number): Token {
  const space = raw === '\n' ? 'newline' : /^\s$/.test(raw) ? 'space' : undefined
  return { raw, visible: raw.length, depth, ...(space ? { space } : {}) }
}

const mark = (raw: string, depth: number): Token => ({ raw, visible: 0, depth })

/** The code point at `at`, whole: a surrogate pair is never cut. */
function charAt(text: string, at: number) {
  return String.fromCodePoint(text.codePointAt(at)!)
}

// https://core.telegram.org/bots/api#html-style: tags open and close spans; &lt; &gt; &amp;
// &quot; and numeric entities are one character each (Telegram keeps any other as written).
function htmlTokens(text: string): Token[] {
  const tokens: Token[] = []
  let depth = 0
  for (let i = 0; i < text.length;) {
    if (text[i] === '<') {
      const end = text.indexOf('>', i)
      if (end > i) {
        const tag = text.slice(i, end + 1)
        if (tag.startsWith('</')) depth = Math.max(0, depth - 1)
        else if (!tag.endsWith('/>')) depth++
        tokens.push(mark(tag, depth))
        i = end + 1
        continue
      }
    }
    const entity =
      text[i] === '&' ? /^&(#\d+|#x[\da-f]+|lt|gt|amp|quot);/i.exec(text.slice(i)) : null
    if (entity) {
      tokens.push({ raw: entity[0], visible: 1, depth })
      i += entity[0].length
      continue
    }
    const c = charAt(text, i)
    tokens.push(plain(c, depth))
    i += c.length
  }
  return tokens
}

// https://core.telegram.org/bots/api#markdownv2-style: '\' escapes the next character; * _ __ ~ ||
// open and close spans; ` and ``` hold code; [text](url) is a link; > starts a quoted line.
function markdownV2Tokens(text: string): Token[] {
  const tokens: Token[] = []
  const open: string[] = []
  let lineStart = true
  for (let i = 0; i < text.length;) {
    const top = open[open.length - 1]
    const code = top === '`' || top === '```'
    const rest = text.slice(i)
    let token: Token
    if (text[i] === '\\' && i + 1 < text.length) {
      const c = charAt(text, i + 1)
      token = { raw: '\\' + c, visible: c.length, depth: open.length }
    } else if (code) {
      if (rest.startsWith(top!)) {
        open.pop()
        token = mark(top!, open.length)
      } else token = plain(charAt(text, i), open.length)
    } else if (rest.startsWith('```') || text[i] === '`') {
      const fence = rest.startsWith('```') ? '```' : '`'
      open.push(fence)
      token = mark(fence, open.length)
    } else if (rest.startsWith('__') || rest.startsWith('||') || /^[*_~]/.test(rest)) {
      const marker = rest.startsWith('__') || rest.startsWith('||') ? rest.slice(0, 2) : text[i]!
      toggle(open, marker)
      token = mark(marker, open.length)
    } else if (rest.startsWith('![') || text[i] === '[') {
      open.push(']')
      token = mark(rest.startsWith('![') ? '![' : '[', open.length)
    } else if (text[i] === ']' && top === ']') {
      open.pop()
      const url = /^\]\((?:\\.|[^)\\])*\)/.exec(rest)
      token = mark(url ? url[0] : ']', open.length)
    } else if (text[i] === '>' && lineStart) {
      token = mark('>', open.length)
    } else token = plain(charAt(text, i), open.length)
    tokens.push(token)
    lineStart = token.raw === '\n'
    i += token.raw.length
  }
  return tokens
}

// https://core.telegram.org/bots/api#markdown-style: '\' escapes _ * ` [ only; spans do not nest.
function markdownTokens(text: string): Token[] {
  const tokens: Token[] = []
  let open: string | undefined
  for (let i = 0; i < text.length;) {
    const rest = text.slice(i)
    const depth = () => (open ? 1 : 0)
    let token: Token
    if (!open && text[i] === '\\' && /^\\[_*`[]/.test(rest)) {
      token = { raw: rest.slice(0, 2), visible: 1, depth: 0 }
    } else if (open === ']' && text[i] === ']') {
      open = undefined
      const url = /^\]\([^)]*\)/.exec(rest)
      token = mark(url ? url[0] : ']', 0)
    } else if (open && open !== ']' && rest.startsWith(open)) {
      token = mark(open, 0)
      open = undefined
    } else if (!open && /^[_*`[]/.test(rest)) {
      const marker = rest.startsWith('```') ? '```' : text[i]!
      open = marker === '[' ? ']' : marker
      token = mark(marker, 1)
    } else token = plain(charAt(text, i), depth())
    tokens.push(token)
    i += token.raw.length
  }
  return tokens
}

function toggle(open: string[], marker: string) {
  const at = open.lastIndexOf(marker)
  if (at >= 0) open.splice(at)
  else open.push(marker)
}
