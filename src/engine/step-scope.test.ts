import { describe, expect, it } from 'vitest'
import { getNode } from '../nodes/registry'
import { emptyReferences } from '../templates/references'
import { addCodeReferences, nodeReads } from './step-scope'

const codeRefs = (source: string) => addCodeReferences(emptyReferences(), source)

describe('what a step reads', () => {
  it('finds the steps a code body names, and reads them all when it cannot tell', () => {
    const named = codeRefs(
      "return context.steps.lookup.output.id + context.steps['look-up'].output",
    )
    expect([...named.steps].sort()).toEqual(['look-up', 'lookup'])
    expect(named.allSteps).toBe(false)
    expect(codeRefs('const { steps } = context\nreturn steps.a').allSteps).toBe(true)
    expect(codeRefs('return Object.keys(context.steps)').allSteps).toBe(true)
    expect(codeRefs('return input.n').steps.size).toBe(0)
  })

  it('reads config templates, if, forEach and code', () => {
    const reads = nodeReads(
      {
        id: 'x',
        type: 'code',
        if: 'steps.a.output.ok',
        forEach: '{{ steps.b.output.items }}',
        config: { code: 'return context.steps.c.output' },
      },
      getNode('code'),
    )
    expect(reads.needed).toBe(true)
    expect([...reads.steps].sort()).toEqual(['a', 'b', 'c'])
    const plain = nodeReads(
      { id: 'y', type: 'transform', config: { expression: 'x' } },
      getNode('transform'),
    )
    expect(plain.needed).toBe(false)
  })
})
