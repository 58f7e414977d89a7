import { describe, expect, it } from 'vitest'
import { parseJsonLossless } from './lossless-json'

describe('parseJsonLossless', () => {
  it('keeps integers outside the safe range as the exact digits sent', () => {
    expect(
      parseJsonLossless(
        '{"id":820982911946154508,"neg":-9223372036854775807,"list":[9007199254740993,1],' +
          '"deep":{"a":[{"b":18446744073709551615}]}}',
      ),
    ).toEqual({
      id: '820982911946154508',
      neg: '-9223372036854775807',
      list: ['9007199254740993', 1],
      deep: { a: [{ b: '18446744073709551615' }] },
    })
  })

  it('leaves safe integers, fractions, exponents and strings of digits as JSON.parse does', () => {
    const text =
      '{"max":9007199254740991,"min":-9007199254740991,"f":12345678901234567.5,' +
      '"e":1e300,"E":9.007199254740993E15,"s":"820982911946154508","small":42}'
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text))
  })

  it('counts 2^53 itself as outside the safe range', () => {
    expect(parseJsonLossless('[9007199254740992, -9007199254740992]')).toEqual([
      '9007199254740992',
      '-9007199254740992',
    ])
  })

  it('keeps a __proto__ key as data, as JSON.parse does', () => {
    const value = parseJsonLossless('{"__proto__":{"x":12345678901234567890}}') as object
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({
      x: '12345678901234567890',
    })
  })

  it('refuses invalid JSON with the same error as JSON.parse', () => {
    expect(() => parseJsonLossless('{"id":12345678901234567890')).toThrow(SyntaxError)
  })
})
