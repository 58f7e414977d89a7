import jsonata from 'jsonata'
import { describe, expect, it } from 'vitest'
import { AutomateError } from '../src/errors'
import { isHalt } from '../src/nodes/define-node'
import { nodeContext } from '../test/node-context'
import filter from './filter'

const runFilter = (condition: string, input: unknown) =>
  filter.run(input, nodeContext(filter, { condition }))

const order = { status: 'paid', amount: 250, tags: ['vip'], notes: [], meta: {} }

describe('filter', () => {
  it('passes its input on unchanged when the condition is true', async () => {
    const input = structuredClone(order)
    const result = await runFilter('amount > 100 and status = "paid"', input)
    expect(isHalt(result)).toBe(false)
    expect(result).toBe(input)
    expect(input).toEqual(order)
  })

  it('halts the run, carrying the input, when the condition is false', async () => {
    const result = await runFilter('amount > 1000', order)
    expect(isHalt(result)).toBe(true)
    if (!isHalt(result)) return
    expect(result.output).toBe(order)
    expect(result.reason).toContain('amount > 1000')
  })

  it.each([
    ['an empty array', 'notes', false],
    ['a non-empty array', 'tags', true],
    ['an empty object', 'meta', false],
    ['a non-empty object', '$', true],
    ['a missing field', 'nothing', false],
    ['an empty string', '""', false],
    ['zero', '0', false],
    ['null', 'null', false],
    ['a lambda', 'function($x) { $x }', false],
    ['an array of false values', '[0, false, ""]', false],
    ['an array with one true value', '[0, "yes"]', true],
  ])('treats %s as %s', async (_, condition, expected) => {
    expect(isHalt(await runFilter(condition, order))).toBe(!expected)
  })

  it.each([[[]], [[0, null]], [{}], [{ a: 0 }], [''], ['x'], [0], [-1], [null], [[[]]], [[{}]]])(
    'agrees with JSONata $boolean on %j',
    async (value) => {
      const expected = await jsonata('$boolean(v)').evaluate({ v: value })
      expect(isHalt(await runFilter('v', { v: value }))).toBe(expected !== true)
    },
  )

  it('rejects an invalid condition in its config, naming the condition', () => {
    const parsed = filter.config.safeParse({ condition: 'amount >' })
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({
        path: ['condition'],
        message: expect.stringMatching(/^invalid JSONata: .+/),
      }),
    ])
    expect(filter.config.safeParse({}).success).toBe(false)
  })

  it('fails with EXPRESSION_FAILED when the condition cannot be evaluated', async () => {
    const run = runFilter('$nope(amount)', order)
    await expect(run).rejects.toBeInstanceOf(AutomateError)
    await expect(run).rejects.toMatchObject({ code: 'EXPRESSION_FAILED', retryable: false })
  })
})
