import { describe, expect, it } from 'vitest'
import { guardLoops } from './loop-guard'

const guard = (code: string) => guardLoops(code, { tick: 'T', iterate: 'I', call: 'C' })

describe('guardLoops', () => {
  it('guards while, do-while and for conditions', () => {
    expect(guard('while (x < 3) x++')).toBe('while (T() && (x < 3)) x++')
    expect(guard('do { x++ } while (x)')).toBe('do { x++ } while (T() && (x))')
    expect(guard('for (let i = 0; i < n; i++) {}')).toBe('for (let i = 0; T() && ( i < n); i++) {}')
    expect(guard('for (;;) {}')).toBe('for (; T();) {}')
  })

  it('wraps what for...of walks, and leaves for...in alone', () => {
    expect(guard('for (const x of gen()) f(x)')).toBe('for (const x of I( gen())) f(x)')
    expect(guard('for await (const x of stream) f(x)')).toBe(
      'for await (const x of I( stream)) f(x)',
    )
    expect(guard('for (const k in o) f(k)')).toBe('for (const k in o) f(k)')
  })

  it('ticks at the start of function bodies but not of if, switch or catch blocks', () => {
    expect(guard('const f = async () => { g() }')).toBe('const f = async () => {C(); g() }')
    expect(guard('function f(a) { return a }')).toBe('function f(a) {C(); return a }')
    expect(guard('const o = { m(a) { return a } }')).toBe('const o = { m(a) {C(); return a } }')
    expect(guard('if (a) { b() } switch (a) { case 1: }')).toBe(
      'if (a) { b() } switch (a) { case 1: }',
    )
    expect(guard('try {} catch (e) { f() }')).toBe('try {} catch (e) { f() }')
  })

  it('does not touch loops spelled inside strings, comments, templates and regexes', () => {
    const code = [
      'const s = "while (true) {}"',
      "const t = 'for (;;) x'",
      '// while (true) {}',
      '/* for (;;) {} */',
      'const u = `for (;;) ${ "while (1)" } x`',
      'const r = /while \\(true\\)/.test(s)',
      'const half = a / 2 / b',
      'obj.while(1); obj.for(2)',
    ].join('\n')
    expect(guard(code)).toBe(code)
  })

  it('keeps every line where it was', () => {
    const code = 'let n = 0\nwhile (true) {\n  n++\n}\nreturn n'
    expect(guard(code).split('\n').length).toBe(5)
  })
})
