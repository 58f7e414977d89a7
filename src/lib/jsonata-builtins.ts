import jsonata from 'jsonata'
import {
  type Budget,
  type Frame,
  LimitReached,
  budgetOf,
  charge,
  chargeChars,
} from './jsonata-budget'

type Expression = ReturnType<typeof jsonata>
type Focus = { environment?: Frame; createSequence?: () => unknown[] }
type Native = (this: Focus, ...args: unknown[]) => unknown
type Definition = { implementation: Native }

/*
 * JSONata's built-ins run as one native call each, so the step counter sees one step whatever
 * they do: `$pad("", 4e6)` spread four million characters into an array, `$sort` and `$spread`
 * copy arrays quadratically, `$distinct` compares every pair. Here each built-in whose work grows
 * with its data is charged for that work (CHARS_PER_STEP characters read or written per step, a
 * step per comparison, per match, per key), before the work where its size is known in advance,
 * and the quadratic ones are replaced by implementations of the same results in n log n or less.
 */

// Built-ins kept as JSONata wrote them, charged for the characters they read and write.
const CHARGED = [
  'substringBefore',
  'substringAfter',
  'lowercase',
  'uppercase',
  'trim',
  'contains',
  'match',
  'replace',
  'split',
  'join',
  'formatNumber',
  'formatBase',
  'formatInteger',
  'parseInteger',
  'number',
  'base64encode',
  'base64decode',
  'encodeUrlComponent',
  'encodeUrl',
  'decodeUrlComponent',
  'decodeUrl',
  'eval',
  'toMillis',
  'fromMillis',
  'string',
  'keys',
  'merge',
] as const
type Charged = (typeof CHARGED)[number]

let originals: Record<Charged, Definition> | undefined

/** JSONata's own definitions of the built-ins wrapped here: evaluating `$name` yields them. */
export const builtinsReady: Promise<void> = jsonata(
  `{ ${CHARGED.map((name) => `"${name}": $${name}`).join(', ')} }`,
)
  .evaluate(null)
  .then((found: Record<Charged, Definition>) => {
    originals = found
  })

function original(name: Charged): Definition {
  if (!originals) throw new Error('JSONata built-ins are not loaded yet: await builtinsReady')
  return originals[name]
}

/** Binds the charged and replaced built-ins into a compiled expression's own frame. */
export function bindBuiltins(expression: Expression) {
  const bind = (name: string, implementation: Native, signature: string) =>
    // JSONata types `this` as its own Focus; ours names the two fields the built-ins read.
    expression.registerFunction(name, implementation as never, signature)
  for (const name of CHARGED) {
    // Keep the parameter list's length: JSONata passes a native function's index and array
    // arguments (`$map(a, $string)`) by its arity, and partial application reads its names.
    // ($string's is 1: its second parameter has a default.)
    bind(name, withArity(lengthOf(name), charged(name)), SIGNATURES[name])
  }
  bind('length', lengthBuiltin as Native, '<s-:n>')
  bind('substring', substringBuiltin as Native, '<s-nn?:s>')
  bind('pad', padBuiltin as Native, '<s-ns?:s>')
  bind('sort', sortBuiltin as Native, '<af?:a>')
  bind('distinct', distinctBuiltin as Native, '<x:x>')
  bind('spread', spreadBuiltin as Native, '<x-:a<o>>')
  bind('clone', cloneBuiltin as Native, '<(oa)-:o>')
}

// The definitions load before the first evaluation, but compiling (to validate a workflow) may
// come first, so arity and signature come from a fixed table, as JSONata declares them.
const ARITY: Partial<Record<Charged, number>> = {
  contains: 2,
  match: 3,
  replace: 4,
  split: 3,
  join: 2,
  formatNumber: 3,
  formatBase: 2,
  formatInteger: 2,
  parseInteger: 2,
  substringBefore: 2,
  substringAfter: 2,
  eval: 2,
  toMillis: 2,
  fromMillis: 3,
}
const lengthOf = (name: Charged) => ARITY[name] ?? 1

// Signature strings as JSONata declares them (functions.js, staticFrame.bind).
const SIGNATURES: Record<Charged, string> = {
  substringBefore: '<s-s:s>',
  substringAfter: '<s-s:s>',
  lowercase: '<s-:s>',
  uppercase: '<s-:s>',
  trim: '<s-:s>',
  contains: '<s-(sf):b>',
  match: '<s-f<s:o>n?:a<o>>',
  replace: '<s-(sf)(sf)n?:s>',
  split: '<s-(sf)n?:a<s>>',
  join: '<a<s>s?:s>',
  formatNumber: '<n-so?:s>',
  formatBase: '<n-n?:s>',
  formatInteger: '<n-s:s>',
  parseInteger: '<s-s:n>',
  number: '<(nsb)-:n>',
  base64encode: '<s-:s>',
  base64decode: '<s-:s>',
  encodeUrlComponent: '<s-:s>',
  encodeUrl: '<s-:s>',
  decodeUrlComponent: '<s-:s>',
  decodeUrl: '<s-:s>',
  eval: '<sx?:x>',
  toMillis: '<s-s?:n>',
  fromMillis: '<n-s?s?:s>',
  string: '<x-b?:s>',
  keys: '<x-:a<s>>',
  merge: '<a<o>:o>',
}

function withArity(arity: number, body: Native): Native {
  // Each form has its own parameter list; `arguments` passes on exactly what JSONata gave.
  switch (arity) {
    case 1:
      return function (this: Focus, a: unknown) {
        void a
        return body.apply(this, [...arguments])
      }
    case 2:
      return function (this: Focus, a: unknown, b: unknown) {
        void [a, b]
        return body.apply(this, [...arguments])
      }
    case 3:
      return function (this: Focus, a: unknown, b: unknown, c: unknown) {
        void [a, b, c]
        return body.apply(this, [...arguments])
      }
    default:
      return function (this: Focus, a: unknown, b: unknown, c: unknown, d: unknown) {
        void [a, b, c, d]
        return body.apply(this, [...arguments])
      }
  }
}

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof (value as Promise<unknown> | undefined)?.then === 'function'

/** A JSONata built-in, charged for its string arguments before and its string result after. */
function charged(name: Charged): Native {
  return function (this: Focus, ...args: unknown[]) {
    const budget = budgetOf(this.environment)
    if (budget) {
      chargeChars(
        budget,
        args.reduce<number>((n, a) => n + (typeof a === 'string' ? a.length : 0), 0),
      )
      BEFORE[name]?.(args, budget)
    }
    const result = original(name).implementation.apply(this, args)
    const after = (value: unknown) => {
      if (typeof value === 'string') chargeChars(budget, value.length)
      return value
    }
    return isPromise(result) ? result.then(after) : after(result)
  }
}

// What a built-in's work depends on beyond the characters of its arguments, charged (or
// refused) before it runs. Each may also adjust the arguments it will run with.
const BEFORE: Partial<Record<Charged, (args: unknown[], budget: Budget) => void>> = {
  join([strings, separator], budget) {
    if (!Array.isArray(strings)) return
    let total = typeof separator === 'string' ? separator.length * (strings.length - 1) : 0
    for (const s of strings) total += typeof s === 'string' ? s.length : 0
    tooLong(total, budget, '$join')
    chargeChars(budget, total)
  },
  replace(args, budget) {
    const [text, pattern, replacement, limit] = args
    if (typeof pattern === 'function') args[1] = countingMatcher(pattern as Native, budget)
    if (typeof text !== 'string' || typeof pattern !== 'string' || pattern === '') return
    // Each match is a step of JSONata's loop: count them, and the result's size, first.
    const most = typeof limit === 'number' ? limit : Infinity
    let matches = 0
    for (let at = text.indexOf(pattern); at !== -1 && matches < most;) {
      matches++
      charge(budget, 1)
      at = text.indexOf(pattern, at + pattern.length)
    }
    if (typeof replacement === 'string') {
      const length = text.length + matches * (replacement.length - pattern.length)
      tooLong(length, budget, '$replace')
      chargeChars(budget, length)
    }
  },
  match(args, budget) {
    if (typeof args[1] === 'function') args[1] = countingMatcher(args[1] as Native, budget)
  },
  contains(args, budget) {
    if (typeof args[1] === 'function') args[1] = countingMatcher(args[1] as Native, budget)
  },
  split(args, budget) {
    if (typeof args[1] === 'function') args[1] = countingMatcher(args[1] as Native, budget)
    // Never more pieces than a sequence may hold, plus one to be refused for.
    const cap = budget.limits.sequence + 1
    args[2] = typeof args[2] === 'number' ? Math.min(args[2], cap) : cap
  },
  keys([value], budget) {
    if (Array.isArray(value)) chargeKeys(value, budget)
  },
  merge([value], budget) {
    if (Array.isArray(value)) chargeKeys(value, budget)
  },
}

function tooLong(length: number, budget: Budget, name: string) {
  if (length > budget.limits.stringLength)
    throw new LimitReached(
      `${name} would make a string of ${length} characters; the limit is ${budget.limits.stringLength}`,
    )
}

/** A step per key of each object: $keys and $merge visit every one. */
function chargeKeys(values: unknown[], budget: Budget) {
  for (const value of values) {
    charge(budget, 1)
    if (value && typeof value === 'object' && !Array.isArray(value))
      charge(budget, Object.keys(value).length)
  }
}

/**
 * A regular expression (or matcher function) that spends a step on every match it yields:
 * $match, $replace and $split loop over the matches inside one native call.
 */
function countingMatcher(matcher: Native, budget: Budget): Native {
  type Match = { next?: unknown }
  const withNext = (match: unknown) => {
    const m = match as Match | undefined
    return m && typeof m === 'object' && typeof m.next === 'function'
      ? { ...m, next: counting(m.next as Native) }
      : match
  }
  const counting = (fn: Native): Native =>
    function (this: Focus, ...args: unknown[]) {
      charge(budget, 1)
      const match = fn.apply(this, args)
      return isPromise(match) ? match.then(withNext) : withNext(match)
    }
  return counting(matcher)
}

// Code points, not UTF-16 units, as JSONata counts them; walked without building an array.
function isHighSurrogate(code: number) {
  return code >= 0xd800 && code <= 0xdbff
}
function isLowSurrogate(code: number) {
  return code >= 0xdc00 && code <= 0xdfff
}
const SURROGATE = /[\uD800-\uDFFF]/

function codePointLength(text: string) {
  if (!SURROGATE.test(text)) return text.length
  let length = 0
  for (let i = 0; i < text.length; i++) {
    if (isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1))) i++
    length++
  }
  return length
}

/** The UTF-16 offset of code point `index` (0 <= index <= code point length). */
function unitOffset(text: string, index: number) {
  let unit = 0
  for (let point = 0; point < index && unit < text.length; point++) {
    unit +=
      isHighSurrogate(text.charCodeAt(unit)) && isLowSurrogate(text.charCodeAt(unit + 1)) ? 2 : 1
  }
  return unit
}

/** Array.prototype.slice over code points, which is what JSONata's $substring does. */
function sliceCodePoints(text: string, start: number, end?: number) {
  const surrogates = SURROGATE.test(text)
  const length = surrogates ? codePointLength(text) : text.length
  const clamp = (i: number) => (i < 0 ? Math.max(length + i, 0) : Math.min(i, length))
  const from = clamp(Math.trunc(start))
  const to = end === undefined ? length : clamp(Math.trunc(end))
  if (to <= from) return ''
  if (!surrogates) return text.slice(from, to)
  const fromUnit = unitOffset(text, from)
  return text.slice(fromUnit, fromUnit + unitOffset(text.slice(fromUnit), to - from))
}

function lengthBuiltin(this: Focus, str: string | undefined) {
  if (str === undefined) return undefined
  chargeChars(budgetOf(this.environment), str.length)
  return codePointLength(str)
}

function substringBuiltin(this: Focus, str: string | undefined, start: number, length?: number) {
  if (str === undefined) return undefined
  chargeChars(budgetOf(this.environment), str.length)
  const size = codePointLength(str)
  const from = size + start < 0 ? 0 : start
  if (length === undefined) return sliceCodePoints(str, from)
  if (length <= 0) return ''
  return sliceCodePoints(str, from, from >= 0 ? from + length : size + from + length)
}

/** JSONata's $pad: width counts code points; a negative width pads on the left. */
function padBuiltin(this: Focus, str: string | undefined, width: number, char?: string) {
  if (str === undefined) return undefined
  const budget = budgetOf(this.environment)
  // Every evaluation has a budget (evaluateExpression binds it); this is for the types.
  const limit = budget?.limits.stringLength ?? Infinity
  if (Math.abs(width) > limit)
    throw new LimitReached(`$pad to ${width} characters; the limit is ${limit}`)
  const fill = char === undefined || char.length === 0 ? ' ' : char
  const missing = Math.abs(Math.trunc(width)) - codePointLength(str)
  // The padding is built whole, so it is paid for before it exists.
  chargeChars(budget, str.length + Math.max(missing, 0) * 2)
  if (missing <= 0) return str
  const fillLength = codePointLength(fill)
  const padding = sliceCodePoints(fill.repeat(Math.ceil(missing / fillLength)), 0, missing)
  return width > 0 ? str + padding : padding + str
}

/**
 * JSONata's $sort, as a merge sort that is n log n (JSONata's copies the rest of an array at
 * every comparison) and spends a step per comparison. Stable; `comparator(a, b)` true puts b
 * first, as in JSONata.
 */
async function sortBuiltin(
  this: Focus,
  arr: unknown[] | undefined,
  comparator?: (a: unknown, b: unknown) => unknown,
) {
  if (arr === undefined) return undefined
  if (arr.length <= 1) return arr
  const budget = budgetOf(this.environment)
  const swap = comparator
  if (!swap) {
    const numbers = arr.every((v) => typeof v === 'number' && !Number.isNaN(v))
    if (!numbers && !arr.every((v) => typeof v === 'string')) {
      throw { code: 'D3070', stack: new Error().stack, index: 1 }
    }
    // Without a function the comparisons are native, about ten to a step: charged up front.
    charge(budget, Math.ceil((arr.length * Math.ceil(Math.log2(arr.length))) / 10))
    return [...arr].sort((a, b) =>
      (a as number) > (b as number) ? 1 : (a as number) < (b as number) ? -1 : 0,
    )
  }
  let run = [...arr]
  let next = new Array<unknown>(run.length)
  for (let width = 1; width < run.length; width *= 2) {
    for (let left = 0; left < run.length; left += 2 * width) {
      const middle = Math.min(left + width, run.length)
      const end = Math.min(left + 2 * width, run.length)
      let i = left
      let j = middle
      let k = left
      while (i < middle && j < end) {
        charge(budget, 1)
        next[k++] = (await swap(run[i], run[j])) ? run[j++] : run[i++]
      }
      while (i < middle) next[k++] = run[i++]
      while (j < end) next[k++] = run[j++]
    }
    ;[run, next] = [next, run]
  }
  return run
}

/**
 * JSONata's $distinct (deep equality, object keys in any order), by a key per value instead of
 * comparing every pair: linear in the size of the values, each charged by its key's length.
 */
function distinctBuiltin(this: Focus, arr: unknown) {
  if (!Array.isArray(arr) || arr.length <= 1) return arr
  const budget = budgetOf(this.environment)
  const isSequence = (arr as { sequence?: boolean }).sequence === true
  const results = isSequence && this.createSequence ? this.createSequence() : []
  const seen = new Set<unknown>()
  for (const value of arr) {
    const key = distinctKey(value)
    if (typeof key === 'string') chargeChars(budget, key.length)
    charge(budget, 1)
    if (!seen.has(key)) {
      seen.add(key)
      results.push(value)
    }
  }
  return results
}

// Primitives are their own key; an array or object becomes a canonical string (sorted keys).
// A function is only equal to itself, as in JSONata.
function distinctKey(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (isFunctionLike(value)) return value
  return `\u0000${canonical(value)}`
}

function isFunctionLike(value: unknown) {
  const v = value as { _jsonata_function?: unknown; _jsonata_lambda?: unknown }
  return typeof value === 'function' || v._jsonata_function === true || v._jsonata_lambda === true
}

function canonical(value: unknown): string {
  if (value === undefined) return 'u'
  if (value === null || typeof value !== 'object') {
    return typeof value === 'string'
      ? JSON.stringify(value)
      : `${(typeof value)[0]}${String(value)}`
  }
  if (isFunctionLike(value)) return `f${Math.random()}`
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  const record = value as Record<string, unknown>
  const names = Object.getOwnPropertyNames(record).sort()
  return `{${names.map((name) => `${JSON.stringify(name)}:${canonical(record[name])}`).join(',')}}`
}

/**
 * JSONata's $spread, appending in place: JSONata concatenates the whole result again for every
 * element. Like JSONata, the result is a plain array once anything was spread.
 */
function spreadBuiltin(this: Focus, arg: unknown): unknown {
  const sequence = this.createSequence ? this.createSequence() : []
  if (Array.isArray(arg)) {
    const budget = budgetOf(this.environment)
    const limit = budget?.limits.sequence ?? Infinity
    let result: unknown[] | undefined
    for (const item of arg) {
      const spread = spreadBuiltin.call(this, item)
      if (spread === undefined) continue
      result ??= [...sequence]
      if (Array.isArray(spread)) for (const value of spread) result.push(value)
      else result.push(spread)
      if (result.length > limit)
        throw { code: 'D2015', stack: new Error().stack, value: result.length }
    }
    return result ?? sequence
  }
  if (arg !== null && typeof arg === 'object' && !isFunctionLike(arg)) {
    for (const key of Object.keys(arg)) {
      const single = Object.create(null) as Record<string, unknown>
      single[key] = (arg as Record<string, unknown>)[key]
      sequence.push(single)
    }
    return sequence
  }
  return arg
}

/** JSONata's $clone, charged for the JSON it goes through. */
function cloneBuiltin(this: Focus, arg: unknown) {
  if (arg === undefined) return undefined
  const text = original('string').implementation.call(this, arg) as string
  chargeChars(budgetOf(this.environment), text.length * 2)
  return JSON.parse(text)
}
