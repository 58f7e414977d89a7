import { AutomateError } from '../errors'
import {
  MAX_KEY_CHARS,
  MAX_VALUE_BYTES,
  SHARED_NAMESPACE,
  type FirstSeen,
  type MemoryEntry,
  type NodeMemory,
} from '../nodes/node-memory'

export { MAX_KEY_CHARS, MAX_VALUE_BYTES, type MemoryEntry }

// Memory between runs: small JSON values by key, in namespaces (migration 0013). A workflow's
// nodes use `workflow:<id>` unless they name a shared one; every statement here is one SQL
// statement, so two runs writing the same key at once never lose a write.

/** Where a node's memory lives: its workflow's own, unless it names a `shared:<name>` one. */
export function memoryNamespace(workflowId: string, namespace?: string) {
  if (namespace === undefined) return `workflow:${workflowId}`
  if (!SHARED_NAMESPACE.test(namespace)) {
    throw new AutomateError(
      'CONFIG_INVALID',
      `namespace must be "shared:" and a name of letters, digits, _ . : - (got ${namespace})`,
      { retryable: false, details: [{ path: 'config.namespace', message: 'not shared:<name>' }] },
    )
  }
  return namespace
}

export function checkKey(key: string) {
  if (key.length === 0 || key.length > MAX_KEY_CHARS) {
    throw new AutomateError(
      'MEMORY_KEY_INVALID',
      key.length === 0
        ? 'a memory key may not be empty'
        : `a memory key is at most ${MAX_KEY_CHARS} characters; this one has ${key.length}`,
      { status: 400, retryable: false, details: { length: key.length, limit: MAX_KEY_CHARS } },
    )
  }
}

function valueText(key: string, value: unknown) {
  const text = JSON.stringify(value ?? null)
  const bytes = new TextEncoder().encode(text).length
  if (bytes > MAX_VALUE_BYTES) {
    throw new AutomateError(
      'MEMORY_VALUE_TOO_LARGE',
      `the value for memory key "${short(key)}" is ${bytes} bytes of JSON; a memory value holds ` +
        `at most ${MAX_VALUE_BYTES} bytes (64 KiB)`,
      { status: 400, retryable: false, details: { bytes, limit: MAX_VALUE_BYTES } },
    )
  }
  return text
}

const short = (key: string) => (key.length > 60 ? `${key.slice(0, 60)}…` : key)
const expiry = (now: number, ttlSeconds?: number) =>
  ttlSeconds === undefined ? null : now + Math.round(ttlSeconds * 1000)
// A row counts only while it has not expired; ?now is always the statement's parameter 1.
const ALIVE = '(memory.expires_at IS NULL OR memory.expires_at > ?1)'

type Row = { value: string; updated_at: number; expires_at: number | null }
const entryOf = (key: string, row: Row): MemoryEntry => ({
  key,
  value: JSON.parse(String(row.value)),
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
})

export async function readMemory(
  db: D1Database,
  namespace: string,
  key: string,
  now: number,
): Promise<MemoryEntry | undefined> {
  checkKey(key)
  const row = await db
    .prepare(
      `SELECT value, updated_at, expires_at FROM memory
       WHERE namespace = ?2 AND key = ?3 AND ${ALIVE}`,
    )
    .bind(now, namespace, key)
    .first<Row>()
  return row ? entryOf(key, row) : undefined
}

export type WriteOptions = {
  ttlSeconds?: number
  /** The writing step's idempotency key (run id + node id). */
  by?: string
}

/** Stores a value (replacing any, with its TTL: none means it never expires). */
export async function writeMemory(
  db: D1Database,
  namespace: string,
  key: string,
  value: unknown,
  options: WriteOptions,
  now: number,
): Promise<MemoryEntry> {
  checkKey(key)
  const text = valueText(key, value)
  const row = await db
    .prepare(
      `INSERT INTO memory (namespace, key, value, written_by, updated_at, expires_at)
       VALUES (?2, ?3, ?4, ?5, ?1, ?6)
       ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value,
         written_by = excluded.written_by, updated_at = excluded.updated_at,
         expires_at = excluded.expires_at
       RETURNING value, updated_at, expires_at`,
    )
    .bind(now, namespace, key, text, options.by ?? null, expiry(now, options.ttlSeconds))
    .first<Row>()
  return entryOf(key, row!)
}

/**
 * Adds `amount` to a number in one statement, so concurrent runs each count once. A missing or
 * expired key starts at 0 and gets the TTL; a live one keeps its expiry (a fixed window). The
 * same step writing again (its retry, or a redelivery after a crash) gets the value it made
 * before instead of counting twice, unless another step wrote the key in between.
 */
export async function incrementMemory(
  db: D1Database,
  namespace: string,
  key: string,
  amount: number,
  options: WriteOptions,
  now: number,
): Promise<MemoryEntry & { value: number }> {
  checkKey(key)
  const row = await db
    .prepare(
      `INSERT INTO memory (namespace, key, value, written_by, updated_at, expires_at)
       VALUES (?2, ?3, ?4, ?5, ?1, ?6)
       ON CONFLICT (namespace, key) DO UPDATE SET
         value = CASE
           WHEN NOT ${ALIVE} THEN excluded.value
           WHEN memory.written_by IS NOT NULL AND memory.written_by = excluded.written_by
             THEN memory.value
           ELSE memory.value + ?7 END,
         expires_at = CASE WHEN ${ALIVE} THEN memory.expires_at ELSE excluded.expires_at END,
         written_by = excluded.written_by, updated_at = excluded.updated_at
       WHERE NOT ${ALIVE} OR json_type(memory.value) IN ('integer', 'real')
       RETURNING value, updated_at, expires_at`,
    )
    .bind(
      now,
      namespace,
      key,
      JSON.stringify(amount),
      options.by ?? null,
      expiry(now, options.ttlSeconds),
      amount,
    )
    .first<Row>()
  if (!row) {
    throw new AutomateError(
      'MEMORY_NOT_A_NUMBER',
      `memory key "${short(key)}" holds a value that is not a number, so it cannot be incremented`,
      { retryable: false },
    )
  }
  return entryOf(key, row) as MemoryEntry & { value: number }
}

/**
 * Marks a key as seen for a window, in one statement: true for the first caller while the key is
 * missing or expired (and for that same step again), false with the earlier entry for anyone else.
 */
export async function markSeen(
  db: D1Database,
  namespace: string,
  key: string,
  windowSeconds: number,
  options: { by: string; runId: string },
  now: number,
): Promise<FirstSeen> {
  checkKey(key)
  const expiresAt = expiry(now, windowSeconds)!
  const mine = `(memory.written_by = excluded.written_by AND ${ALIVE})`
  const claimed = await db
    .prepare(
      `INSERT INTO memory (namespace, key, value, written_by, updated_at, expires_at)
       VALUES (?2, ?3, ?4, ?5, ?1, ?6)
       ON CONFLICT (namespace, key) DO UPDATE SET
         value = CASE WHEN ${mine} THEN memory.value ELSE excluded.value END,
         expires_at = CASE WHEN ${mine} THEN memory.expires_at ELSE excluded.expires_at END,
         updated_at = CASE WHEN ${mine} THEN memory.updated_at ELSE excluded.updated_at END,
         written_by = excluded.written_by
       WHERE NOT ${ALIVE} OR ${mine}
       RETURNING expires_at`,
    )
    .bind(now, namespace, key, JSON.stringify({ runId: options.runId }), options.by, expiresAt)
    .first<{ expires_at: number }>()
  if (claimed) return { first: true, expiresAt: claimed.expires_at }
  const seen = await readMemory(db, namespace, key, now)
  // Expired between the two statements: it was seen within the window all the same.
  return { first: false, seen: seen ?? { key, value: null, updatedAt: now, expiresAt: now } }
}

/** Memory as a node sees it: its workflow's namespace by default, the engine's clock. */
export function nodeMemory(
  db: D1Database,
  step: { workflowId: string; runId: string; by: string },
  clock: () => number = Date.now,
): NodeMemory {
  const ns = (namespace?: string) => memoryNamespace(step.workflowId, namespace)
  type Scope = { namespace?: string }
  return {
    get: (key: string, options: Scope = {}) => readMemory(db, ns(options.namespace), key, clock()),
    set: (key: string, value: unknown, options: Scope & { ttlSeconds?: number } = {}) =>
      writeMemory(db, ns(options.namespace), key, value, { ...options, by: step.by }, clock()),
    increment: (key: string, amount: number, options: Scope & { ttlSeconds?: number } = {}) =>
      incrementMemory(db, ns(options.namespace), key, amount, { ...options, by: step.by }, clock()),
    markSeen: (key: string, windowSeconds: number, options: Scope = {}) =>
      markSeen(db, ns(options.namespace), key, windowSeconds, step, clock()),
  }
}

export type { NodeMemory }
