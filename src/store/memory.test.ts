import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { expireMemory } from './expire-memory'
import {
  MAX_KEY_CHARS,
  MAX_VALUE_BYTES,
  incrementMemory,
  markSeen,
  memoryNamespace,
  nodeMemory,
  readMemory,
  writeMemory,
} from './memory'

const db = env.DB
const T0 = Date.UTC(2026, 0, 1)
const ns = () => `workflow:wf-${crypto.randomUUID()}`

describe('memory store', () => {
  it('reads back what was written, as JSON, and nothing for a missing key', async () => {
    const space = ns()
    const value = { a: [1, 'two', null], b: { c: true }, d: 'é 😀' }
    await writeMemory(db, space, 'k', value, {}, T0)
    expect(await readMemory(db, space, 'k', T0 + 1)).toEqual({
      key: 'k',
      value,
      updatedAt: T0,
      expiresAt: null,
    })
    expect(await readMemory(db, space, 'other', T0)).toBeUndefined()
    await writeMemory(db, space, 'k', 7, {}, T0 + 5)
    expect((await readMemory(db, space, 'k', T0 + 6))?.value).toBe(7)
  })

  it('never returns a key after its TTL, and retention deletes it', async () => {
    const space = ns()
    await writeMemory(db, space, 'short', 'x', { ttlSeconds: 10 }, T0)
    await writeMemory(db, space, 'long', 'y', { ttlSeconds: 1000 }, T0)
    expect((await readMemory(db, space, 'short', T0 + 9_999))?.expiresAt).toBe(T0 + 10_000)
    expect(await readMemory(db, space, 'short', T0 + 10_000)).toBeUndefined()
    await expireMemory(db, T0 + 10_000)
    const left = await db
      .prepare('SELECT key FROM memory WHERE namespace = ? ORDER BY key')
      .bind(space)
      .all<{ key: string }>()
    expect(left.results.map((r) => r.key)).toEqual(['long'])
    // A write without a TTL replaces the old expiry: kept for good.
    await writeMemory(db, space, 'long', 'z', {}, T0 + 1)
    expect((await readMemory(db, space, 'long', T0 + 10_000_000))?.value).toBe('z')
  })

  it('increments from 0, keeps integers integers, and adds fractions and negatives', async () => {
    const space = ns()
    expect((await incrementMemory(db, space, 'n', 1, {}, T0)).value).toBe(1)
    expect((await incrementMemory(db, space, 'n', 41, {}, T0)).value).toBe(42)
    expect((await incrementMemory(db, space, 'n', -2.5, {}, T0)).value).toBe(39.5)
    const raw = await db
      .prepare('SELECT value FROM memory WHERE namespace = ? AND key = ?')
      .bind(space, 'n')
      .first<{ value: string }>()
    expect(raw?.value).toBe('39.5')
    expect((await incrementMemory(db, space, 'm', 3, {}, T0)).value).toBe(3)
    const integer = await db
      .prepare('SELECT value FROM memory WHERE namespace = ? AND key = ?')
      .bind(space, 'm')
      .first<{ value: string }>()
    expect(integer?.value).toBe('3')
    expect((await incrementMemory(db, space, 'm', 2, {}, T0)).value).toBe(5)
    expect((await readMemory(db, space, 'm', T0))?.value).toBe(5)
  })

  it('gives a counter its TTL when it starts and keeps it until it expires (a fixed window)', async () => {
    const space = ns()
    const first = await incrementMemory(db, space, 'c', 1, { ttlSeconds: 60 }, T0)
    expect(first.expiresAt).toBe(T0 + 60_000)
    const second = await incrementMemory(db, space, 'c', 1, { ttlSeconds: 60 }, T0 + 30_000)
    expect(second).toMatchObject({ value: 2, expiresAt: T0 + 60_000 })
    const restarted = await incrementMemory(db, space, 'c', 1, { ttlSeconds: 60 }, T0 + 60_000)
    expect(restarted).toMatchObject({ value: 1, expiresAt: T0 + 120_000 })
  })

  it('refuses to increment a value that is not a number', async () => {
    const space = ns()
    await writeMemory(db, space, 's', 'text', {}, T0)
    await expect(incrementMemory(db, space, 's', 1, {}, T0)).rejects.toMatchObject({
      code: 'MEMORY_NOT_A_NUMBER',
      retryable: false,
    })
    expect((await readMemory(db, space, 's', T0))?.value).toBe('text')
    // Once expired it no longer holds anything: a new count starts.
    await writeMemory(db, space, 'e', 'text', { ttlSeconds: 1 }, T0)
    expect((await incrementMemory(db, space, 'e', 1, {}, T0 + 1000)).value).toBe(1)
  })

  it('does not count the same step twice (a retry or a redelivery after a crash)', async () => {
    const space = ns()
    expect((await incrementMemory(db, space, 'n', 1, { by: 'run-a:count' }, T0)).value).toBe(1)
    expect((await incrementMemory(db, space, 'n', 1, { by: 'run-a:count' }, T0)).value).toBe(1)
    expect((await incrementMemory(db, space, 'n', 1, { by: 'run-b:count' }, T0)).value).toBe(2)
  })

  it('counts every one of 30 concurrent increments of one key', async () => {
    const space = ns()
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        incrementMemory(db, space, 'hits', 1, { by: `run-${i}:count` }, T0),
      ),
    )
    expect(results.map((r) => r.value).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    )
  })

  it('keeps namespaces apart', async () => {
    const a = memoryNamespace('wf-a')
    const b = memoryNamespace('wf-b')
    expect(a).toBe('workflow:wf-a')
    await writeMemory(db, a, 'same-key', 'of a', {}, T0)
    expect(await readMemory(db, b, 'same-key', T0)).toBeUndefined()
    expect(memoryNamespace('wf-a', 'shared:team')).toBe('shared:team')
    expect(() => memoryNamespace('wf-a', 'workflow:wf-b')).toThrowError(/shared:/)
  })

  it('refuses a value over 64 KiB and a key over 512 characters, naming the limit', async () => {
    const space = ns()
    // Exactly at the limit: a JSON string of MAX_VALUE_BYTES bytes, quotes included.
    const atLimit = 'a'.repeat(MAX_VALUE_BYTES - 2)
    await writeMemory(db, space, 'big', atLimit, {}, T0)
    // Two bytes per é (UTF-8 is what counts, not characters): 2 quotes + 65532 + 3 = one over.
    const over = `${'é'.repeat(MAX_VALUE_BYTES / 2 - 2)}abc`
    await expect(writeMemory(db, space, 'big', over, {}, T0)).rejects.toMatchObject({
      code: 'MEMORY_VALUE_TOO_LARGE',
      message: expect.stringContaining('at most 65536 bytes (64 KiB)'),
      details: { bytes: MAX_VALUE_BYTES + 1, limit: MAX_VALUE_BYTES },
    })
    expect((await readMemory(db, space, 'big', T0))?.value).toBe(atLimit)
    await writeMemory(db, space, 'k'.repeat(MAX_KEY_CHARS), 1, {}, T0)
    await expect(
      writeMemory(db, space, 'k'.repeat(MAX_KEY_CHARS + 1), 1, {}, T0),
    ).rejects.toMatchObject({
      code: 'MEMORY_KEY_INVALID',
      message: 'a memory key is at most 512 characters; this one has 513',
    })
    await expect(readMemory(db, space, '', T0)).rejects.toMatchObject({
      code: 'MEMORY_KEY_INVALID',
    })
  })

  it('marks a key seen once per window; the same step again is still the first', async () => {
    const space = ns()
    const seen = (by: string, at: number) =>
      markSeen(db, space, 'customer:1', 100, { by, runId: by.split(':')[0]! }, at)
    expect(await seen('run-a:dedupe', T0)).toEqual({ first: true, expiresAt: T0 + 100_000 })
    expect(await seen('run-a:dedupe', T0 + 5)).toEqual({ first: true, expiresAt: T0 + 100_000 })
    expect(await seen('run-b:dedupe', T0 + 99_999)).toEqual({
      first: false,
      seen: {
        key: 'customer:1',
        value: { runId: 'run-a' },
        updatedAt: T0,
        expiresAt: T0 + 100_000,
      },
    })
    // The window is over: the next one through starts a new window.
    expect(await seen('run-c:dedupe', T0 + 100_000)).toEqual({
      first: true,
      expiresAt: T0 + 200_000,
    })
    expect((await seen('run-a:dedupe', T0 + 100_001)).first).toBe(false)
  })

  it('lets exactly one of 20 concurrent markers of a key through', async () => {
    const space = ns()
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        markSeen(db, space, 'k', 60, { by: `run-${i}:d`, runId: `run-${i}` }, T0),
      ),
    )
    expect(results.filter((r) => r.first)).toHaveLength(1)
  })

  it("binds a node's memory to its workflow, its step and a clock", async () => {
    let now = T0
    const workflowId = `wf-${crypto.randomUUID()}`
    const memory = nodeMemory(db, { workflowId, runId: 'r1', by: 'r1:n' }, () => now)
    await memory.set('k', 'v', { ttlSeconds: 1 })
    expect(await readMemory(db, `workflow:${workflowId}`, 'k', T0)).toMatchObject({ value: 'v' })
    now = T0 + 1000
    expect(await memory.get('k')).toBeUndefined()
    await memory.set('k', 'shared', { namespace: 'shared:test-bind' })
    expect((await readMemory(db, 'shared:test-bind', 'k', now))?.value).toBe('shared')
  })
})
