import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, waitForRun } from '../../../test/helpers'
import { fieldsToObject } from './webhook-body'

const echo = {
  name: 'echo',
  nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
}

function postForm(url: string, body: string) {
  return SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  })
}

describe('form bodies', () => {
  it('keeps __proto__, constructor and friends as plain fields', async () => {
    const parsed = fieldsToObject(
      new URLSearchParams('__proto__=a&constructor=b&toString=c&hasOwnProperty=d&__proto__=e'),
    )
    expect(Object.getPrototypeOf(parsed)).toBeNull()
    expect(Object.keys(parsed)).toEqual(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
    expect(parsed['__proto__']).toEqual(['a', 'e'])
    expect(parsed['constructor']).toBe('b')

    const workflow = await createWorkflow(echo)
    const response = await postForm(
      workflow.webhookUrl,
      '__proto__=a&constructor=b&toString=c&__proto__=e',
    )
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.status).toBe('succeeded')
    expect(JSON.stringify(run.input)).toBe(
      '{"__proto__":["a","e"],"constructor":"b","toString":"c"}',
    )
  })

  it('collects a field repeated a quarter of a million times in one pass', async () => {
    // 1 MiB of `a=1&a=1…`: copying the array on each repeat was 3e10 element copies.
    const repeats = (1024 * 1024) / 4 - 1
    const parsed = fieldsToObject(new URLSearchParams('a=1&'.repeat(repeats)))
    expect((parsed.a as string[]).length).toBe(repeats)

    const workflow = await createWorkflow({
      name: 'count',
      nodes: [{ id: 'count', type: 'transform', config: { expression: '$count(a)' } }],
    })
    const response = await postForm(workflow.webhookUrl, 'a=1&'.repeat(repeats))
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.output).toBe(repeats)
  })
})
