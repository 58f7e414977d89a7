import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { failure } from '../../test/failure'
import { DEFAULT_LIMITS, evaluateExpression } from './jsonata'

// A small budget, so that what a built-in is charged decides the outcome on a modest input.
const TIGHT = { ...DEFAULT_LIMITS, steps: 20_000 }
const big = 'x'.repeat(3_000_000)
const wide = Object.fromEntries(Array.from({ length: 200_000 }, (_, i) => [`key${i}`, i]))
// Referenced and returned, these cost 16 000 steps; the work of sorting or deduping them is what
// takes the budget over.
const numbers = Array.from({ length: 8_000 }, (_, i) => (i * 7919) % 8_000)
// A hundred references to one object of 300 keys: $keys and $merge visit 30 000.
const many = Array.from({ length: 100 }, () =>
  Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
)

describe('JSONata built-ins are charged for their work', () => {
  it('stops the $pad of the report (4 million characters, 40 times) on its step budget', async () => {
    const expression = '$sum([1..40].$length($pad("", 4000000)))'
    const error = await failure(evaluateExpression(expression, {}))
    expect(error.code).toBe('EXPRESSION_LIMIT')
    expect(error.message).toMatch(/more than 1000000 evaluation steps/)
  })

  it.each([
    ['$length', '$length($s)', { s: big }],
    ['$substring', '$substring($s, 1, 5)', { s: big }],
    ['$pad', '$pad("", 3000000)', {}],
    ['$uppercase', '$uppercase($s)', { s: big }],
    ['$replace (a string)', '$replace($s, "x", "y")', { s: big }],
    ['$replace (a regex)', '$replace($s, /x/, "y")', { s: big }],
    ['$split', '$split($s, "")', { s: big }],
    ['$match', '$match($s, /x/)', { s: big }],
    ['$contains', '$contains($s, "y")', { s: big }],
    ['$string of an object', '$string($o)', { o: wide }],
    ['& of an object', '"" & $o', { o: wide }],
    ['$clone', '$clone($o)', { o: wide }],
    ['$keys over objects', '$keys($l)', { l: many }],
    ['$merge', '$merge($l)', { l: many }],
    ['$sort', '$sort($a)', { a: numbers }],
    ['$distinct', '$distinct($a)', { a: numbers }],
  ])('charges %s in proportion to its input or output', async (_name, expression, bindings) => {
    const error = await failure(evaluateExpression(expression, null, bindings, TIGHT))
    expect(error.code).toBe('EXPRESSION_LIMIT')
    expect(error.message).toMatch(/more than 20000 evaluation steps/)
  })

  it('refuses a $join longer than the string limit before joining', async () => {
    const error = await failure(evaluateExpression('$join([$s, $s])', null, { s: big }))
    expect(error.code).toBe('EXPRESSION_LIMIT')
    expect(error.message).toBe(
      'JSONata evaluation stopped: $join would make a string of 6000000 characters; the limit is 5000000',
    )
  })

  // JSONata's own $sort and $spread copy arrays at every element and $distinct compares every
  // pair: each of these ran for minutes while charged a few hundred thousand steps.
  it('sorts, spreads and dedupes large arrays in n log n or less, within the default budget', async () => {
    expect(await evaluateExpression('$count($sort([1..100000]))', {})).toBe(100_000)
    expect(await evaluateExpression('$count($spread([1..100000]))', {})).toBe(100_000)
    expect(await evaluateExpression('$count($distinct([1..100000]))', {})).toBe(100_000)
  })

  it('leaves moderate work alone', async () => {
    const text = 'é'.repeat(100_000)
    expect(await evaluateExpression('$length($uppercase($s))', null, { s: text })).toBe(100_000)
    const sorted = await evaluateExpression('$sort($a, function($x, $y) { $x < $y })', null, {
      a: numbers.slice(0, 2_000),
    })
    expect(sorted).toEqual([...numbers.slice(0, 2_000)].sort((a, b) => b - a))
  })

  // The same answers as JSONata's own implementations, on small inputs.
  it.each([
    '$length("h😀llo")',
    '$substring("héllo😀wörld", -6, 3)',
    '$substring("héllo😀wörld", 3)',
    '$substring("h😀llo", 1, 1)',
    '$substring("hello", -10, 2)',
    '$substring("hello", 2, 0)',
    '$pad("foo", 5)',
    '$pad("foo", -5, "#")',
    '$pad("5", 4, "ab")',
    '$pad("😀", 3, "é")',
    '$pad("x", -4, "😀a")',
    '$pad("toolong", 3)',
    '$sort([3, 1, 2])',
    '$sort(["b", "a", "c"])',
    '$sort([{"n": 2, "i": 0}, {"n": 1, "i": 1}, {"n": 2, "i": 2}], function($a, $b) { $a.n > $b.n })',
    '$sort([1])',
    '$distinct([1, "1", 1, {"a": 1, "b": [2]}, {"b": [2], "a": 1}, [1, 2], [2, 1], null, null])',
    '$distinct(5)',
    '$spread([{"a": 1, "b": 2}, {"c": 3}, 4])',
    '$spread({"a": 1, "b": 2})',
    '$spread([])',
    '$spread(7)',
    '$map(["a", "b"], $string)',
    '$map(["ab", "cd"], $substring(?, 1))',
    '$replace("abcabc", "b", "$0$0")',
    '$replace("abcabc", /b(c)/, "[$1]", 1)',
    '$split("a,b,,c", ",", 2)',
    '$split("a1b22c", /\\d+/)',
    '$match("ab12cd345", /\\d+/)',
    '$contains("abc", /B/i)',
    '$join(["a", "b"], "-")',
    '$keys([{"a": 1}, {"b": 2, "a": 3}])',
    '$merge([{"a": 1}, {"b": 2, "a": 3}])',
    '$clone({"a": [1, {"b": 2}]})',
    '$string({"a": [1, 2.5]}, true)',
    '"n=" & {"a": 1}',
  ])('%s gives what JSONata gives', async (expression) => {
    const expected = await jsonata(expression).evaluate({})
    expect(JSON.stringify(await evaluateExpression(expression, {}))).toBe(JSON.stringify(expected))
  })
})
