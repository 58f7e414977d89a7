import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow } from '../../../test/helpers'
import { signedIn } from '../../../test/admin-session'
import { readMemory, writeMemory } from '../../store/memory'

type Listed = {
  keys: {
    key: string
    size: number
    preview: string
    updatedAt: string
    expiresAt: string | null
  }[]
  nextCursor: string | null
}

async function workflowWithMemory(entries: Record<string, unknown>) {
  const workflow = await createWorkflow({
    name: 'remembers',
    nodes: [{ id: 'get', type: 'memory-get', config: { key: 'k' } }],
  })
  const now = Date.now()
  for (const [key, value] of Object.entries(entries))
    await writeMemory(env.DB, `workflow:${workflow.id}`, key, value, {}, now)
  return workflow
}

async function list(id: string, query = '') {
  const response = await admin(`/api/workflows/${id}/memory${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as Listed
}

describe('GET /api/workflows/:id/memory', () => {
  it('lists live keys in order with size, preview and times; never an expired one', async () => {
    const long = 'x'.repeat(500)
    const workflow = await workflowWithMemory({ b: { n: 1 }, a: long, 'c/d e': 'é' })
    const ns = `workflow:${workflow.id}`
    const started = Date.now()
    await writeMemory(env.DB, ns, 'ttl', 1, { ttlSeconds: 3600 }, started)
    await writeMemory(env.DB, ns, 'gone', 1, { ttlSeconds: 1 }, started - 5000)
    const { keys, nextCursor } = await list(workflow.id)
    expect(nextCursor).toBeNull()
    expect(keys.map((k) => k.key)).toEqual(['a', 'b', 'c/d e', 'ttl'])
    expect(keys[0]).toMatchObject({ size: 502, preview: `"${'x'.repeat(199)}`, expiresAt: null })
    expect(keys[1]).toMatchObject({ size: 7, preview: '{"n":1}' })
    // Bytes, not characters: é is two in UTF-8.
    expect(keys[2]).toMatchObject({ size: 4, preview: '"é"' })
    expect(keys[3]!.expiresAt).toBe(new Date(started + 3_600_000).toISOString())
    expect(Date.parse(keys[3]!.updatedAt)).toBe(started)
  })

  it('pages with limit and cursor', async () => {
    const workflow = await workflowWithMemory({ k1: 1, k2: 2, k3: 3 })
    const first = await list(workflow.id, '?limit=2')
    expect(first.keys.map((k) => k.key)).toEqual(['k1', 'k2'])
    expect(first.nextCursor).toBe('k2')
    const second = await list(workflow.id, `?limit=2&cursor=${first.nextCursor}`)
    expect(second).toMatchObject({ keys: [{ key: 'k3' }], nextCursor: null })
    for (const limit of [0, 1001]) {
      const bad = await admin(`/api/workflows/${workflow.id}/memory?limit=${limit}`)
      expect(bad.status).toBe(400)
      expect(JSON.stringify(await bad.json())).toContain('query.limit')
    }
  })

  it("shows only the workflow's own namespace", async () => {
    const a = await workflowWithMemory({ mine: 1 })
    const b = await workflowWithMemory({ theirs: 1 })
    await writeMemory(env.DB, 'shared:api-test', 'common', 1, {}, Date.now())
    expect((await list(a.id)).keys.map((k) => k.key)).toEqual(['mine'])
    expect((await list(b.id)).keys.map((k) => k.key)).toEqual(['theirs'])
  })

  it('answers 404 for an unknown workflow', async () => {
    const response = await admin('/api/workflows/wf_nope/memory')
    expect(response.status).toBe(404)
    expect(((await response.json()) as any).error.code).toBe('NOT_FOUND')
  })
})

describe('DELETE /api/workflows/:id/memory[/:key]', () => {
  it('deletes one key (URL-encoded), then answers 404 for it', async () => {
    const workflow = await workflowWithMemory({ 'c/d e?': 1, keep: 2 })
    const path = `/api/workflows/${workflow.id}/memory/${encodeURIComponent('c/d e?')}`
    expect((await admin(path, { method: 'DELETE' })).status).toBe(204)
    expect((await list(workflow.id)).keys.map((k) => k.key)).toEqual(['keep'])
    const again = await admin(path, { method: 'DELETE' })
    expect(again.status).toBe(404)
    expect(((await again.json()) as any).error.code).toBe('NOT_FOUND')
  })

  it('refuses a key over 512 characters, naming the field', async () => {
    const workflow = await workflowWithMemory({})
    const response = await admin(`/api/workflows/${workflow.id}/memory/${'k'.repeat(513)}`, {
      method: 'DELETE',
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as any
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.details[0].path).toBe('params.key')
  })

  it('clears every key of the workflow, not a shared namespace', async () => {
    const workflow = await workflowWithMemory({ a: 1, b: 2 })
    await writeMemory(env.DB, 'shared:clear-test', 'a', 1, {}, Date.now())
    const response = await admin(`/api/workflows/${workflow.id}/memory`, { method: 'DELETE' })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ deleted: 2 })
    expect((await list(workflow.id)).keys).toEqual([])
    expect(await readMemory(env.DB, 'shared:clear-test', 'a', Date.now())).toBeDefined()
  })

  it('goes with the workflow when it is deleted', async () => {
    const workflow = await workflowWithMemory({ a: 1 })
    expect((await admin(`/api/workflows/${workflow.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await readMemory(env.DB, `workflow:${workflow.id}`, 'a', Date.now())).toBeUndefined()
  })
})

describe('admin workflow page: Memory', () => {
  it('lists the keys and deletes one, or all, through CSRF-guarded forms', async () => {
    const workflow = await workflowWithMemory({ 'customer:1': { seen: true }, other: 5 })
    const session = await signedIn()
    const path = `/admin/workflows/${workflow.id}`
    const before = await session.page(path)
    expect(before.html).toContain('<h2>Memory</h2>')
    expect(before.html).toContain('<code>customer:1</code>')
    expect(before.html).toContain('{&quot;seen&quot;:true}')
    expect(before.html).toContain(`action="${path}/memory/delete"`)
    expect(before.html).toContain('name="key" value="customer:1"')

    // Without the form token nothing is deleted.
    const forged = await session.post(`${path}/memory/delete`, { key: 'customer:1', _csrf: '0' })
    expect(forged.status).toBe(403)
    expect((await list(workflow.id)).keys).toHaveLength(2)

    const deleted = await session.post(`${path}/memory/delete`, { key: 'customer:1' })
    expect(deleted.status).toBe(303)
    expect(deleted.location).toBe(`${path}?done=memory-deleted#memory`)
    expect((await list(workflow.id)).keys.map((k) => k.key)).toEqual(['other'])
    const after = await session.page(`${path}?done=memory-deleted`)
    expect(after.html).toContain('Forgotten: the key is gone from its memory.')
    expect(after.html).not.toContain('<code>customer:1</code>')

    const cleared = await session.post(`${path}/memory/clear`)
    expect(cleared.location).toBe(`${path}?done=memory-cleared#memory`)
    expect((await list(workflow.id)).keys).toEqual([])
    expect((await session.page(path)).html).toContain('Nothing remembered')
  })
})
