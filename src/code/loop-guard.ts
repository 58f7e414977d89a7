/**
 * Adds a call to `tick` at the head of every loop, and to `call` at the start of every function body, of a
 * piece of user JavaScript, so an endless loop or an endless async chain throws instead of
 * spinning. In production the Dynamic Worker's CPU limit stops any runaway; the local runtime
 * (workerd under wrangler dev and the tests) enforces no CPU limit at all, and a spinning isolate
 * there freezes every Worker in the process. The guard is a seatbelt, not a sandbox: code that
 * means to get around it can (it names its own helper), and the CPU limit is what holds then.
 *
 * It reads the code with a small tokenizer (strings, template literals, comments, regular
 * expressions) rather than a parser, and only inserts text, so line numbers stay as written.
 */
export function guardLoops(
  source: string,
  helpers: { tick: string; iterate: string; call: string },
): string {
  const { tick, iterate, call } = helpers
  const tokens = tokenize(source)
  const inserts: { at: number; text: string }[] = []
  const code = tokens.filter((t) => t.kind !== 'skip')

  for (let i = 0; i < code.length; i++) {
    const token = code[i]!
    const before = code[i - 1]
    const isKeyword = token.kind === 'name' && before?.text !== '.' && before?.text !== '?.'
    if (isKeyword && token.text === 'while' && code[i + 1]?.text === '(') {
      const close = matching(code, i + 1)
      if (close < 0) continue
      wrap(inserts, code[i + 1]!.end, code[close]!.start, `${tick}() && (`, ')')
    } else if (isKeyword && token.text === 'for') {
      const open = code[i + 1]?.text === 'await' ? i + 2 : i + 1
      if (code[open]?.text !== '(') continue
      const close = matching(code, open)
      if (close < 0) continue
      guardForHeader(code, open, close, inserts, tick, iterate)
    } else if (token.text === '{' && startsFunctionBody(code, i)) {
      inserts.push({ at: token.end, text: `${call}();` })
    }
  }
  inserts.sort((a, b) => b.at - a.at)
  let out = source
  for (const insert of inserts) out = out.slice(0, insert.at) + insert.text + out.slice(insert.at)
  return out
}

type Token = {
  kind: 'name' | 'punct' | 'literal' | 'skip'
  text: string
  start: number
  end: number
}

function guardForHeader(
  code: Token[],
  open: number,
  close: number,
  inserts: { at: number; text: string }[],
  tick: string,
  iterate: string,
) {
  const semicolons: number[] = []
  let ofAt = -1
  let depth = 0
  for (let j = open + 1; j < close; j++) {
    const text = code[j]!.text
    if (text === '(' || text === '[' || text === '{') depth++
    else if (text === ')' || text === ']' || text === '}') depth--
    else if (depth === 0 && text === ';') semicolons.push(j)
    else if (depth === 0 && text === 'of' && code[j]!.kind === 'name' && ofAt < 0) ofAt = j
  }
  if (semicolons.length === 2) {
    const [first, second] = semicolons as [number, number]
    if (second === first + 1) inserts.push({ at: code[first]!.end, text: ` ${tick}()` })
    else wrap(inserts, code[first]!.end, code[second]!.start, ` ${tick}() && (`, ')')
  } else if (ofAt >= 0) {
    // for...of over a generator can run for ever; for...in walks an object's own keys.
    wrap(inserts, code[ofAt]!.end, code[close]!.start, ` ${iterate}(`, ')')
  }
}

function wrap(
  inserts: { at: number; text: string }[],
  from: number,
  to: number,
  open: string,
  close: string,
) {
  inserts.push({ at: from, text: open }, { at: to, text: close })
}

/** `=> {`, `function f(a) {`, `method(a) {`: not `if (a) {`, and never `switch (a) {`. */
function startsFunctionBody(code: Token[], i: number): boolean {
  const before = code[i - 1]
  if (before?.text === '=>') return true
  if (before?.text !== ')') return false
  const open = matchingBack(code, i - 1)
  const head = code[open - 1]
  if (!head) return false
  if (head.kind === 'name') return !NOT_FUNCTIONS.has(head.text)
  return false
}

const NOT_FUNCTIONS = new Set(['if', 'while', 'for', 'switch', 'catch', 'with'])

function matching(code: Token[], open: number): number {
  let depth = 0
  for (let j = open; j < code.length; j++) {
    const text = code[j]!.text
    if (text === '(' || text === '[' || text === '{') depth++
    else if (text === ')' || text === ']' || text === '}') {
      depth--
      if (depth === 0) return j
    }
  }
  return -1
}

function matchingBack(code: Token[], close: number): number {
  let depth = 0
  for (let j = close; j >= 0; j--) {
    const text = code[j]!.text
    if (text === ')' || text === ']' || text === '}') depth++
    else if (text === '(' || text === '[' || text === '{') {
      depth--
      if (depth === 0) return j
    }
  }
  return -1
}

const PUNCT = [
  '>>>=',
  '...',
  '===',
  '!==',
  '**=',
  '<<=',
  '>>=',
  '>>>',
  '&&=',
  '||=',
  '??=',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '??',
  '?.',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '<<',
  '>>',
  '**',
]
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
])

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  // Open braces: 'brace' for a block or object, 'template' for a `${` inside a template literal.
  const braces: ('brace' | 'template')[] = []
  let i = 0
  const push = (kind: Token['kind'], start: number, end: number) => {
    tokens.push({ kind, text: source.slice(start, end), start, end })
    i = end
  }
  const lastCode = () => {
    for (let j = tokens.length - 1; j >= 0; j--) if (tokens[j]!.kind !== 'skip') return tokens[j]
    return undefined
  }
  while (i < source.length) {
    const c = source[i]!
    if (/\s/.test(c)) {
      let j = i + 1
      while (j < source.length && /\s/.test(source[j]!)) j++
      push('skip', i, j)
    } else if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i)
      push('skip', i, end < 0 ? source.length : end)
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2)
      push('skip', i, end < 0 ? source.length : end + 2)
    } else if (c === '"' || c === "'") {
      push('literal', i, endOfQuoted(source, i, c))
    } else if (c === '`') {
      i = templateLiteral(source, i, push, braces)
    } else if (c === '}' && braces[braces.length - 1] === 'template') {
      braces.pop()
      i = templateLiteral(source, i, push, braces)
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1
      while (j < source.length && /[\w$\u0080-\uffff]/.test(source[j]!)) j++
      push('name', i, j)
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      let j = i + 1
      while (j < source.length && /[\w.]/.test(source[j]!)) j++
      push('literal', i, j)
    } else if (c === '/' && regexAllowed(lastCode())) {
      push('literal', i, endOfRegex(source, i))
    } else {
      const op = PUNCT.find((p) => source.startsWith(p, i)) ?? c
      if (op === '{') braces.push('brace')
      else if (op === '}') braces.pop()
      push('punct', i, i + op.length)
    }
  }
  return tokens
}

/** Reads template text from `start` (a backtick or the `}` ending a `${ }`) to its next part. */
function templateLiteral(
  source: string,
  start: number,
  push: (kind: Token['kind'], start: number, end: number) => void,
  braces: ('brace' | 'template')[],
): number {
  let j = start + 1
  while (j < source.length) {
    const c = source[j]
    if (c === '\\') j += 2
    else if (c === '`') {
      push('literal', start, j + 1)
      return j + 1
    } else if (c === '$' && source[j + 1] === '{') {
      push('literal', start, j)
      braces.push('template')
      push('punct', j, j + 2)
      return j + 2
    } else j++
  }
  push('literal', start, source.length)
  return source.length
}

function endOfQuoted(source: string, start: number, quote: string): number {
  let j = start + 1
  while (j < source.length && source[j] !== quote && source[j] !== '\n')
    j += source[j] === '\\' ? 2 : 1
  return Math.min(j + 1, source.length)
}

function endOfRegex(source: string, start: number): number {
  let j = start + 1
  let inClass = false
  while (j < source.length && source[j] !== '\n') {
    const c = source[j]
    if (c === '\\') j++
    else if (c === '[') inClass = true
    else if (c === ']') inClass = false
    else if (c === '/' && !inClass) break
    j++
  }
  j++
  while (j < source.length && /[a-z]/i.test(source[j]!)) j++
  return Math.min(j, source.length)
}

function regexAllowed(before: Token | undefined): boolean {
  if (!before) return true
  if (before.kind === 'name') return REGEX_AFTER_WORD.has(before.text)
  if (before.kind === 'literal') return false
  return before.text !== ')' && before.text !== ']' && before.text !== '}'
}
