import { describe, expect, it } from 'vitest'
import { admin } from '../../test/helpers'

type ErrorBody = {
  error: { code: string; message: string; details?: { path: string; message: string }[] }
}

async function save(nodes: unknown[]) {
  return admin('/api/workflows', { method: 'POST', json: { name: 'Templates', nodes } })
}

async function refused(nodes: unknown[]) {
  const response = await save(nodes)
  expect(response.status).toBe(400)
  return ((await response.json()) as ErrorBody).error
}

describe('saving a workflow checks its templates', () => {
  it('refuses a reference to a later node, naming the node and the field', async () => {
    const error = await refused([
      {
        id: 'notify',
        type: 'http-request',
        config: {
          method: 'POST',
          url: 'https://x.test/',
          body: { text: 'total {{ steps.total.output }}' },
        },
      },
      { id: 'total', type: 'transform', config: { expression: '1' } },
    ])
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.details).toEqual([
      {
        path: 'nodes.0.config.body.text',
        message:
          "{{ steps.total.output }} reads steps.total: node 'total' runs after this one (nodes.1), so it has no output yet",
      },
    ])
  })

  it('refuses an unknown node, the node itself, and a syntax error, in if and forEach too', async () => {
    const error = await refused([
      { id: 'a', type: 'transform', config: { expression: '1' } },
      {
        id: 'b',
        type: 'transform',
        config: { expression: 'x' },
        if: 'steps.b.output',
        forEach: '{{ steps.nope.output }}',
      },
      { id: 'c', type: 'http-request', config: { url: 'https://x.test/{{ input.( }}' } },
    ])
    const byPath = Object.fromEntries(error.details!.map((d) => [d.path, d.message]))
    expect(byPath['nodes.1.if']).toBe(
      'steps.b.output reads steps.b: that is this node itself; a node reads its own input as `input`',
    )
    expect(byPath['nodes.1.forEach']).toBe(
      "{{ steps.nope.output }} reads steps.nope: no node 'nope' in this workflow",
    )
    expect(byPath['nodes.2.config.url']).toMatch(/^invalid JSONata in \{\{ input\.\( \}\}: /)
  })

  it('hints at backticks for a node id with a hyphen', async () => {
    const error = await refused([
      { id: 'look-up', type: 'transform', config: { expression: '1' } },
      { id: 'use', type: 'transform', config: { expression: '"{{ steps.look-up.output }}"' } },
    ])
    expect(error.details![0]!.message).toContain('needs backticks')
  })

  it('accepts templates in typed fields and checks the rest of the config', async () => {
    const ok = await save([
      { id: 'first', type: 'transform', config: { expression: '{ "n": 5 }' } },
      {
        id: 'call',
        type: 'http-request',
        config: {
          method: '{{ input.method }}',
          url: '{{ input.base }}/orders/{{ steps.first.output.n }}',
          timeoutMs: '{{ steps.first.output.n * 1000 }}',
          headers: { 'X-Order': '{{ steps.`first`.output.n }}' },
        },
      },
    ])
    expect(ok.status).toBe(201)

    const error = await refused([
      {
        id: 'call',
        type: 'http-request',
        config: { url: '{{ input.url }}', timeoutMs: -5, method: 'FETCH' },
      },
    ])
    expect(error.details!.map((d) => d.path).sort()).toEqual([
      'nodes.0.config.method',
      'nodes.0.config.timeoutMs',
    ])
  })

  it('bounds forEachLimit', async () => {
    const error = await refused([
      {
        id: 'a',
        type: 'transform',
        config: { expression: '1' },
        forEach: '{{ [1,2] }}',
        forEachLimit: 10_001,
      },
    ])
    expect(error.details!.map((d) => d.path)).toEqual(['nodes.0.forEachLimit'])
  })

  it('refuses a node that pauses its run under forEach, naming the field', async () => {
    const error = await refused([
      { id: 'wait', type: 'delay', config: { seconds: 60 }, forEach: '{{ input.ids }}' },
    ])
    expect(error.details).toEqual([
      {
        path: 'nodes.0.forEach',
        message: "a 'delay' node pauses the whole run, so it cannot run once per element",
      },
    ])
  })
})
