import { describe, expect, it } from 'vitest'
import { AutomateError } from '../errors'
import { DEFAULT_LIMITS, INGEST_LIMITS, evaluateExpression } from './jsonata'
import { failure } from '../../test/failure'

async function limitFailure(promise: Promise<unknown>) {
  const error = await failure(promise)
  expect(error).toBeInstanceOf(AutomateError)
  return error
}

describe('evaluateExpression limits', () => {
  // Without the step budget each of these runs until the platform kills the isolate (or it
  // runs out of memory), and the test never finishes.
  it.each([
    [
      'a range mapped over a range',
      '[1..400000].[1..400000]',
      /more than 1000000 evaluation steps/,
    ],
    ['a function that calls itself for ever', '($f := function($n){ $f($n) }; $f(1))', /steps/],
    [
      'recursion that nests without end',
      '($f := function($n){ 1 + $f($n + 1) }; $f(1))',
      /deeper than 1000 levels/,
    ],
    ['a range over the sequence limit', '[1..10000000]', /sequence is longer than 500000/],
    [
      'a string doubled until it is gigabytes',
      `($s := "0123456789"; ${'$s := $s & $s; '.repeat(30)} $length($s))`,
      /string is longer than 5000000/,
    ],
    ['$pad to a billion characters', '$pad("x", 1000000000)', /\$pad to 1000000000/],
  ])('stops %s with EXPRESSION_LIMIT', async (_name, expression, reason) => {
    const error = await limitFailure(evaluateExpression(expression, {}))
    expect(error.code).toBe('EXPRESSION_LIMIT')
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(reason)
    expect(error.details).toEqual({ expression, limits: DEFAULT_LIMITS })
  })

  it('leaves real work on a large payload alone', async () => {
    const items = Array.from({ length: 50_000 }, (_, i) => ({ price: i, qty: 2 }))
    expect(await evaluateExpression('$sum(items.(qty * price))', { items })).toBe(
      2 * ((50_000 * 49_999) / 2),
    )
    const recursion = '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(200))'
    expect(await evaluateExpression(recursion, {})).toBe(200)
  })

  it('gives each evaluation its own budget, even when they interleave', async () => {
    const runaway = evaluateExpression('($f := function($n){ $f($n) }; $f(1))', {})
    const small = Promise.all(
      Array.from({ length: 20 }, (_, i) => evaluateExpression('$sum([1..1000]) + n', { n: i })),
    )
    expect((await limitFailure(runaway)).code).toBe('EXPRESSION_LIMIT')
    expect(await small).toEqual(Array.from({ length: 20 }, (_, i) => 500_500 + i))
    // The same compiled expression, evaluated again, starts from zero.
    for (let i = 0; i < 3; i++)
      expect(await evaluateExpression('$count([1..400000])', {})).toBe(4e5)
  })

  it('takes tighter limits for the ingest path', async () => {
    expect(await evaluateExpression('id', { id: 'evt_1' }, undefined, INGEST_LIMITS)).toBe('evt_1')
    const error = await limitFailure(
      evaluateExpression('$count([1..100000])', {}, undefined, INGEST_LIMITS),
    )
    expect(error.code).toBe('EXPRESSION_LIMIT')
    expect(error.details).toEqual({ expression: '$count([1..100000])', limits: INGEST_LIMITS })
  })

  it('cannot read or replace its budget', async () => {
    const expression =
      '($__automateos_budget := {"used": 0, "limits": {"steps": 1e12}}; [1..300000].[1..300000])'
    expect((await limitFailure(evaluateExpression(expression, {}))).code).toBe('EXPRESSION_LIMIT')
  })

  it('keeps $pad working as JSONata documents it', async () => {
    expect(await evaluateExpression('$pad("foo", 5)', null)).toBe('foo  ')
    expect(await evaluateExpression('$pad("foo", -5, "#")', null)).toBe('##foo')
    expect(await evaluateExpression('$pad("5", 4, "ab")', null)).toBe('5aba')
    expect(await evaluateExpression('$pad("😀", 3, "é")', null)).toBe('😀éé')
    expect(await evaluateExpression('$pad("toolong", 3)', null)).toBe('toolong')
  })

  it('still names other failures EXPRESSION_FAILED', async () => {
    const error = await limitFailure(
      evaluateExpression('$number("abc") + $undefinedFunction()', {}),
    )
    expect(error.code).toBe('EXPRESSION_FAILED')
  })
})
