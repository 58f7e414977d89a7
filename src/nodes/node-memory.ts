// What a node sees of memory between runs (ctx.memory) and its limits. The store implements it
// (src/store/memory.ts); nodes and their config fields (memory-fields.ts) only name it.

/** The most a value may hold: UTF-8 bytes of its JSON. */
export const MAX_VALUE_BYTES = 64 * 1024
export const MAX_KEY_CHARS = 512
/** Ten years: a longer TTL is a mistake, and it keeps expires_at far from overflow. */
export const MAX_TTL_SECONDS = 10 * 365 * 24 * 3600
/** `shared:` and a name: letters, digits, `_ . : -`. */
export const SHARED_NAMESPACE = /^shared:[A-Za-z0-9_.:-]{1,100}$/

export type MemoryEntry = {
  key: string
  value: unknown
  updatedAt: number
  /** Epoch ms, or null for a key that never expires. */
  expiresAt: number | null
}

export type FirstSeen = { first: true; expiresAt: number } | { first: false; seen: MemoryEntry }

/** Leave out for the workflow's own memory; `shared:<name>` for one any workflow may name. */
type Scope = { namespace?: string }

export type NodeMemory = {
  /** The live entry, or undefined when the key is missing or has expired. */
  get(key: string, options?: Scope): Promise<MemoryEntry | undefined>
  set(key: string, value: unknown, options?: Scope & { ttlSeconds?: number }): Promise<MemoryEntry>
  /** Atomic; a missing or expired key starts from 0 and gets the TTL. */
  increment(
    key: string,
    amount: number,
    options?: Scope & { ttlSeconds?: number },
  ): Promise<MemoryEntry & { value: number }>
  /** Whether this step is the first to see the key within the window. */
  markSeen(key: string, windowSeconds: number, options?: Scope): Promise<FirstSeen>
}
