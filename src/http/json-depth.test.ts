import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook } from '../../test/helpers'
import { MAX_JSON_DEPTH, depthExceeds } from './json-depth'

const echo = {
  name: 'echo',
  nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
}

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

describe('JSON nesting depth', () => {
  it('measures depth without recursion', () => {
    expect(depthExceeds(JSON.parse(nested(MAX_JSON_DEPTH)), MAX_JSON_DEPTH)).toBe(false)
    expect(depthExceeds(JSON.parse(nested(MAX_JSON_DEPTH + 1)), MAX_JSON_DEPTH)).toBe(true)
    expect(depthExceeds({ a: { b: [1, { c: null }] } }, 4)).toBe(false)
    expect(depthExceeds({ a: { b: [1, { c: {} }] } }, 4)).toBe(true)
    expect(depthExceeds(JSON.parse(nested(200_000)), MAX_JSON_DEPTH)).toBe(true)
  })

  it('answers a webhook of 100 000 nested arrays with 400, and leaves its delivery id free', async () => {
    const workflow = await createWorkflow(echo)
    const headers = { 'idempotency-key': `deep-${crypto.randomUUID()}` }
    const deep = await postWebhook(workflow, nested(100_000), headers)
    expect(deep.status).toBe(400)
    expect(await deep.json()).toEqual({
      error: {
        code: 'JSON_TOO_DEEP',
        message: `Request body nests deeper than the limit of ${MAX_JSON_DEPTH} levels`,
        details: [{ path: '(body)', message: `at most ${MAX_JSON_DEPTH} levels of nesting` }],
      },
    })
    // The sender fixes its payload and retries with the same key: a new run, not a duplicate.
    const retry = await postWebhook(workflow, { fixed: true }, headers)
    expect(retry.status).toBe(202)
    expect(await retry.json()).not.toHaveProperty('duplicate')
  })

  it('accepts JSON exactly at the limit', async () => {
    const workflow = await createWorkflow(echo)
    expect((await postWebhook(workflow, nested(MAX_JSON_DEPTH))).status).toBe(202)
  })

  it('refuses deep JSON on the admin API with 400', async () => {
    const body = `{"name":"deep","nodes":[{"id":"a","type":"transform","config":{"expression":"$","x":${nested(10_000)}}}]}`
    for (const [path, method] of [
      ['/api/workflows', 'POST'],
      ['/api/workflows/wf_missing/runs', 'POST'],
    ] as const) {
      const response = await admin(path, {
        method,
        headers: { 'content-type': 'application/json' },
        body,
      })
      expect(response.status, path).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        'JSON_TOO_DEEP',
      )
    }
    const list = (await (await admin('/api/workflows')).json()) as { workflows: { name: string }[] }
    expect(list.workflows.some((w) => w.name === 'deep')).toBe(false)
  })
})
