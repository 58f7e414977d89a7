import { describe, expect, it } from 'vitest'
import { expressionReferences } from './references'

const ids = (source: string) => [...expressionReferences(source).steps].sort()
const rootIds = (source: string) => [...expressionReferences(source).rootSteps].sort()

describe('expressionReferences', () => {
  it('finds steps.<id> wherever it is spelled out', () => {
    expect(ids('steps.a.output.x & $string(steps["b"].output) & $$.steps.c.output')).toEqual([
      'a',
      'b',
      'c',
    ])
    expect(ids('input.ok ? steps.d.output : { "e": steps.`e-1`.output }')).toEqual(['d', 'e-1'])
    expect(ids('$map(input.items, function($v) { steps.f.output })')).toEqual(['f'])
  })

  it('tells the top-level steps from a field called steps inside a filter', () => {
    expect(ids('input.items[steps.y > 1]')).toEqual(['y'])
    expect(rootIds('input.items[steps.y > 1]')).toEqual([])
    expect(rootIds('input.items[$$.steps.z.output > 1]')).toEqual(['z'])
    expect(expressionReferences('input.steps.x').steps.size).toBe(0)
  })

  it('says when steps is read as a whole', () => {
    expect(expressionReferences('steps.a.output').allSteps).toBe(false)
    expect(expressionReferences('steps').allSteps).toBe(true)
    expect(expressionReferences('$keys(steps.*)').allSteps).toBe(true)
    expect(expressionReferences('$$').allSteps).toBe(true)
    expect(expressionReferences('steps[$x]').allSteps).toBe(true)
  })

  it('flags the clock and randomness', () => {
    expect(expressionReferences('$now()').nonDeterministic).toBe(true)
    expect(expressionReferences('{ "r": $random() }').nonDeterministic).toBe(true)
    expect(expressionReferences('$millis() - 5').nonDeterministic).toBe(true)
    expect(expressionReferences('$uppercase(input.x)').nonDeterministic).toBe(false)
  })

  it('sees run.resumeUrl read from the top, and only there', () => {
    const reads = (source: string) => expressionReferences(source).resumeUrl
    expect(reads('run.resumeUrl')).toBe(true)
    expect(reads('"Approve: " & run.resumeUrl & "?ok=1"')).toBe(true)
    expect(reads('$$.run.resumeUrl')).toBe(true)
    expect(reads('run.id')).toBe(false)
    expect(reads('input.run.resumeUrl')).toBe(false)
    expect(reads('input.items[run.resumeUrl]')).toBe(false)
  })
})
