/** A piece of a config string: literal text, or the JSONata source between `{{` and `}}`. */
export type Segment = { kind: 'text'; text: string } | { kind: 'expr'; source: string; raw: string }

export type Parsed = { ok: true; segments: Segment[] } | { ok: false; error: string }

const OPEN = '{{'

/** Cheap test before any parsing: most config strings hold no template. */
export function hasTemplate(text: string): boolean {
  return text.includes(OPEN)
}

/**
 * Splits a string into text and `{{ expr }}` templates. The closing `}}` is found by reading the
 * expression as JSONata would (strings, backtick names, comments and nested `{ }`), so an object
 * constructor such as `{{ {"a": {"b": 1}} }}` is one template, not one cut at its first `}}`.
 */
export function parseTemplate(text: string): Parsed {
  const segments: Segment[] = []
  let at = 0
  while (at < text.length) {
    const open = text.indexOf(OPEN, at)
    if (open < 0) break
    if (open > at) segments.push({ kind: 'text', text: text.slice(at, open) })
    const close = findClose(text, open + OPEN.length)
    if (close < 0) return { ok: false, error: `'{{' at character ${open} is never closed by '}}'` }
    const source = text.slice(open + OPEN.length, close).trim()
    if (!source) return { ok: false, error: `empty template '{{}}' at character ${open}` }
    segments.push({ kind: 'expr', source, raw: text.slice(open, close + 2) })
    at = close + 2
  }
  if (at < text.length) segments.push({ kind: 'text', text: text.slice(at) })
  return { ok: true, segments }
}

/** The index of the `}}` that ends the expression starting at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0
  for (let i = from; i < text.length; i++) {
    const c = text[i]
    if (c === '"' || c === "'" || c === '`') {
      i = skipQuoted(text, i, c)
      if (i < 0) return -1
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      if (end < 0) return -1
      i = end + 1
    } else if (c === '{') depth++
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i
      if (depth > 0) depth--
    }
  }
  return -1
}

/** The index of the quote that closes the literal opened at `start`, or -1. */
function skipQuoted(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    // Backtick names have no escapes in JSONata; string literals do.
    if (text[i] === '\\' && quote !== '`') i++
    else if (text[i] === quote) return i
  }
  return -1
}

/** The one expression of a string that is exactly one template, which keeps its value's type. */
export function soleExpression(segments: Segment[]): string | undefined {
  const [only] = segments
  return segments.length === 1 && only!.kind === 'expr' ? only!.source : undefined
}

/**
 * `if` and `forEach` hold one expression: plain JSONata (`input.total > 100`) or the same wrapped
 * as a template (`{{ input.total > 100 }}`). Text around a template has no meaning there.
 */
export function fieldExpression(
  text: string,
): { ok: true; source: string; raw: string } | { ok: false; error: string } {
  if (!hasTemplate(text)) return { ok: true, source: text, raw: text }
  const parsed = parseTemplate(text.trim())
  if (!parsed.ok) return parsed
  const sole = soleExpression(parsed.segments)
  if (sole === undefined)
    return {
      ok: false,
      error: 'must be one expression, or one {{ }} template with no text around it',
    }
  return { ok: true, source: sole, raw: text }
}
