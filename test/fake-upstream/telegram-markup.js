// Telegram's parse modes as the Bot API reads them, strict where Telegram is strict: the rules
// of https://core.telegram.org/bots/api#formatting-options, and the error texts of tdlib's parser
// (td/telegram/MessageEntity.cpp, whose tests in test/message_entities.cpp quote them). Written
// apart from our own src/clients/markup-tokens.ts on purpose: a fake that shared our code would
// agree with our mistakes.
//
// parseEntities(text, mode) → { text } (what the reader sees) or { error } (after "can't parse
// entities: ").

const encoder = new TextEncoder()
const byteOffset = (text, index) => encoder.encode(text.slice(0, index)).length

export function parseEntities(text, mode) {
  if (mode === 'MarkdownV2') return markdownV2(text)
  if (mode === 'HTML') return html(text)
  if (mode === 'Markdown') return markdown(text)
  return { text }
}

// "In all other places characters '_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-',
// '=', '|', '{', '}', '.', '!' must be escaped with the preceding character '\'."
const RESERVED_V2 = new Set([...']()>#+-=|{}.!'])
const V2_TYPES = {
  '*': 'Bold',
  _: 'Italic',
  __: 'Underline',
  '~': 'Strikethrough',
  '||': 'Spoiler',
}
const reserved = (c) => ({
  error: `Character '${c}' is reserved and must be escaped with the preceding '\\'`,
})

function markdownV2(input) {
  let out = ''
  const open = [] // { marker, at }
  let lineStart = true
  for (let i = 0; i < input.length;) {
    const c = input[i]
    const atLineStart = lineStart
    lineStart = c === '\n'
    // "Any character with code between 1 and 126 inclusively can be escaped anywhere."
    if (c === '\\' && i + 1 < input.length && input.charCodeAt(i + 1) <= 126) {
      out += input[i + 1]
      i += 2
      continue
    }
    if (c === '`') {
      // "Inside pre and code entities, all '`' and '\' characters must be escaped."
      const fence = input.startsWith('```', i) ? '```' : '`'
      const close = findUnescaped(input, fence, i + fence.length)
      if (close < 0) {
        const type = fence === '`' ? 'Code' : 'Pre'
        return { error: `Can't find end of ${type} entity at byte offset ${byteOffset(input, i)}` }
      }
      let body = unescapeCode(input.slice(i + fence.length, close))
      if (fence === '```' && /^[^\s`]+\n/.test(body)) body = body.slice(body.indexOf('\n') + 1)
      out += body
      i = close + fence.length
      continue
    }
    const two = input.slice(i, i + 2)
    const marker = two === '__' || two === '||' ? two : '*_~'.includes(c) ? c : undefined
    if (marker) {
      const top = open[open.length - 1]
      if (top && top.marker === marker) open.pop()
      else open.push({ marker, at: i })
      i += marker.length
      continue
    }
    if (c === '[' || two === '![') {
      open.push({ marker: '[', at: i })
      i += c === '[' ? 1 : 2
      continue
    }
    if (c === ']' && open[open.length - 1]?.marker === '[') {
      open.pop()
      i++
      if (input[i] === '(') {
        // "Inside the (...) part of the inline link definition, all ')' and '\' must be escaped."
        const close = findUnescaped(input, ')', i + 1)
        if (close < 0)
          return { error: `Can't find end of a URL at byte offset ${byteOffset(input, i + 1)}` }
        i = close + 1
      }
      continue
    }
    if (c === '>' && atLineStart) {
      i++
      continue
    }
    if (RESERVED_V2.has(c)) return reserved(c)
    out += c
    i++
  }
  const top = open[open.length - 1]
  if (top) {
    const type = V2_TYPES[top.marker] ?? 'TextUrl'
    return { error: `Can't find end of ${type} entity at byte offset ${byteOffset(input, top.at)}` }
  }
  return { text: out }
}

function findUnescaped(input, needle, from) {
  for (let i = from; i < input.length; i++) {
    if (input[i] === '\\') i++
    else if (input.startsWith(needle, i)) return i
  }
  return -1
}

const unescapeCode = (body) => body.replace(/\\([\s\S])/g, '$1')

// "All <, > and & symbols that are not a part of a tag or an HTML entity must be replaced with
// the corresponding HTML entities"; only these tags are supported.
const TAGS = new Set([
  'a',
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
])
const NAMED = { lt: '<', gt: '>', amp: '&', quot: '"' }

function html(input) {
  let out = ''
  const open = []
  for (let i = 0; i < input.length;) {
    const c = input[i]
    if (c === '&') {
      const entity = /^&(#\d+|#x[\da-f]+|[a-z]+);?/i.exec(input.slice(i))
      const name = entity?.[1]
      const decoded = !name
        ? undefined
        : name[0] === '#'
          ? String.fromCodePoint(Number(name[1] === 'x' ? '0' + name.slice(1) : name.slice(1)))
          : NAMED[name.toLowerCase()]
      // Telegram keeps an entity it does not know, and a lone '&', as they are.
      if (decoded === undefined) {
        out += c
        i++
      } else {
        out += decoded
        i += entity[0].length
      }
      continue
    }
    if (c !== '<') {
      out += c
      i++
      continue
    }
    const at = byteOffset(input, i)
    if (input[i + 1] === '/') {
      const end = input.indexOf('>', i)
      if (open.length === 0) return { error: `Unexpected end tag at byte offset ${at}` }
      if (end < 0) return { error: `Unclosed end tag at byte offset ${at}` }
      const name = input
        .slice(i + 2, end)
        .trim()
        .toLowerCase()
      const top = open.pop()
      if (name && name !== top) {
        return {
          error: `Unmatched end tag at byte offset ${at}, expected "</${top}>", found "</${name}>"`,
        }
      }
      i = end + 1
      continue
    }
    let j = i + 1
    while (j < input.length && !/[\s>]/.test(input[j])) j++
    if (j >= input.length) return { error: `Unclosed start tag at byte offset ${at}` }
    const name = input.slice(i + 1, j).toLowerCase()
    if (!TAGS.has(name)) return { error: `Unsupported start tag "${name}" at byte offset ${at}` }
    const end = closingBracket(input, j)
    if (end < 0) return { error: `Unclosed start tag at byte offset ${at}` }
    open.push(name)
    i = end + 1
  }
  if (open.length) return { error: `Can't find end tag corresponding to start tag "${open.pop()}"` }
  return { text: out }
}

function closingBracket(input, from) {
  let quote
  for (let i = from; i < input.length; i++) {
    if (quote) {
      if (input[i] === quote) quote = undefined
    } else if (input[i] === '"' || input[i] === "'") quote = input[i]
    else if (input[i] === '>') return i
  }
  return -1
}

// "To escape characters '_', '*', '`', '[' outside of an entity, prepend the characters '\'
// before them." Entities do not nest.
function markdown(input) {
  let out = ''
  for (let i = 0; i < input.length;) {
    const c = input[i]
    if (c === '\\' && '_*`['.includes(input[i + 1] ?? ' ')) {
      out += input[i + 1]
      i += 2
      continue
    }
    if (!'_*`['.includes(c)) {
      out += c
      i++
      continue
    }
    const end = c === '`' && input.startsWith('```', i) ? '```' : c === '[' ? ']' : c
    const from = i + (end === '```' ? 3 : 1)
    const close = input.indexOf(end, from)
    if (close < 0) {
      return {
        error: `Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`,
      }
    }
    out += input.slice(from, close)
    i = close + end.length
    if (c === '[' && input[i] === '(') {
      const url = input.indexOf(')', i)
      if (url >= 0) i = url + 1
    }
  }
  return { text: out }
}
