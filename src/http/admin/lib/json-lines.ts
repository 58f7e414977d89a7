/** Where a JSON text stops being JSON: the 1-based line, and what was found there. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    found: string,
  ) {
    super(`line ${line}: unexpected ${found}`)
  }
}

/**
 * The line (1-based) where each value of a JSON text starts, by path ("nodes.0.config"; "" is
 * the root); for an object member, the line of its key. Throws JsonSyntaxError at the first
 * place the text is not JSON, since the runtime's own JSON.parse message does not always say.
 */
export function jsonValueLines(text: string): Map<string, number> {
  const lines = new Map<string, number>()
  let at = 0
  let line = 1

  const fail = (): never => {
    const found = at >= text.length ? 'end of text' : JSON.stringify(text[at])
    throw new JsonSyntaxError(line, found)
  }
  const skipSpace = () => {
    while (at < text.length && ' \t\r\n'.includes(text[at]!)) {
      if (text[at] === '\n') line++
      at++
    }
  }
  const expect = (char: string) => {
    skipSpace()
    if (text[at] !== char) fail()
    at++
  }
  const readString = (): string => {
    if (text[at] !== '"') fail()
    const start = at++
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\n') fail()
      at += text[at] === '\\' ? 2 : 1
    }
    if (at >= text.length) fail()
    at++
    try {
      return JSON.parse(text.slice(start, at)) as string
    } catch {
      at = start
      return fail()
    }
  }
  const value = (path: string, keyLine?: number) => {
    skipSpace()
    lines.set(path, keyLine ?? line)
    const join = (key: string) => (path === '' ? key : `${path}.${key}`)
    const char = text[at]
    if (char === '{') {
      at++
      skipSpace()
      if (text[at] === '}') return void at++
      for (;;) {
        skipSpace()
        const memberLine = line
        const key = readString()
        expect(':')
        value(join(key), memberLine)
        skipSpace()
        if (text[at] === '}') return void at++
        expect(',')
      }
    }
    if (char === '[') {
      at++
      skipSpace()
      if (text[at] === ']') return void at++
      for (let index = 0; ; index++) {
        value(join(String(index)))
        skipSpace()
        if (text[at] === ']') return void at++
        expect(',')
      }
    }
    if (char === '"') return void readString()
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(at, at + 400),
    )
    if (!literal) fail()
    at += literal![0].length
  }

  value('')
  skipSpace()
  if (at < text.length) fail()
  return lines
}

/** The line of `path`, or of its nearest ancestor that is in the text (a missing field's parent). */
export function lineOfPath(lines: Map<string, number>, path: string): number | undefined {
  for (let parts = path.split('.'); ; parts.pop()) {
    const found = lines.get(parts.join('.'))
    if (found !== undefined || parts.length === 0) return found
  }
}

/** The line where a text stops being JSON, or undefined when it is JSON. */
export function syntaxErrorLine(text: string): number | undefined {
  try {
    jsonValueLines(text)
    return undefined
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.line
    throw error
  }
}
