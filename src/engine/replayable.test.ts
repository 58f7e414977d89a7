import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineNode } from '../nodes/define-node'
import { findNode } from '../nodes/registry'
import type { WorkflowNode } from '../workflow/definition'
import { hasEffects as hasEffectsOf, isReplayable as isReplayableNode } from './replayable'

const pureNode = defineNode({
  type: 'pure-test',
  title: 'Pure',
  description: 'A pure test node.',
  config: z.object({ v: z.unknown() }),
  sample: { config: { v: 1 }, input: {} },
  pure: true,
  isDeterministic: (config) => config.v !== 'dice',
  run: (input) => input,
})
const lookup = (type: string) => (type === 'pure-test' ? pureNode : findNode(type))
const isReplayable = (lookup_: typeof lookup, node: WorkflowNode) =>
  isReplayableNode(lookup_(node.type), node)
const hasEffects = (lookup_: typeof lookup, node: WorkflowNode) => hasEffectsOf(lookup_(node.type))

describe('which steps may wait for the next effect', () => {
  it('a pure node whose templates and expressions read only data', () => {
    expect(
      isReplayable(lookup, { id: 'a', type: 'pure-test', config: { v: '{{ input.x }}' } }),
    ).toBe(true)
    expect(
      isReplayable(lookup, { id: 't', type: 'transform', config: { expression: 'a + 1' } }),
    ).toBe(true)
    expect(hasEffects(lookup, { id: 't', type: 'filter', config: { condition: 'a' } })).toBe(false)
  })

  it('not a pure node reading the clock or chance, in a template, an expression or an if', () => {
    expect(
      isReplayable(lookup, { id: 'a', type: 'pure-test', config: { v: '{{ $now() }}' } }),
    ).toBe(false)
    const clock = { id: 't', type: 'transform', config: { expression: '{ "at": $millis() }' } }
    expect(isReplayable(lookup, clock)).toBe(false)
    expect(hasEffects(lookup, clock)).toBe(false)
    const random = {
      id: 't',
      type: 'transform',
      if: '$random() > 0.5',
      config: { expression: '1' },
    }
    expect(isReplayable(lookup, random)).toBe(false)
  })

  it('not a pure node whose own isDeterministic says no', () => {
    expect(isReplayable(lookup, { id: 'a', type: 'pure-test', config: { v: 'dice' } })).toBe(false)
  })

  it('not a node with effects, nor an unknown type', () => {
    const post = { id: 'p', type: 'http-request', config: { method: 'POST', url: 'http://x.test' } }
    expect(isReplayable(lookup, post)).toBe(false)
    expect(hasEffects(lookup, post)).toBe(true)
    expect(isReplayable(lookup, { id: 'g', type: 'no-such-node', config: {} })).toBe(false)
  })
})
