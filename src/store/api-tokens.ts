// Scoped API tokens (migration 0016): only a token's SHA-256 is stored, so a copy of the database
// lets nobody in. This file is the one owner of the api_tokens table.

export const SCOPES = ['read', 'run', 'write', 'admin'] as const
export type Scope = (typeof SCOPES)[number]

export type ApiToken = {
  id: string
  name: string
  scopes: Scope[]
  /** Workflow ids the token may run and see as MCP tools; undefined: all. */
  workflows?: string[]
  createdAt: number
  lastUsedAt?: number
  expiresAt?: number
}

type TokenRow = {
  id: string
  name: string
  scopes: string
  workflows: string | null
  created_at: number
  last_used_at: number | null
  expires_at: number | null
}

/** Last use is written at most this often per token: a busy agent is not a D1 write per call. */
const LAST_USED_EVERY_MS = 60_000

export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as Scope[],
    ...(row.workflows === null ? {} : { workflows: JSON.parse(row.workflows) as string[] }),
    createdAt: row.created_at,
    ...(row.last_used_at === null ? {} : { lastUsedAt: row.last_used_at }),
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  }
}

const COLUMNS = 'id, name, scopes, workflows, created_at, last_used_at, expires_at'

export async function insertToken(db: D1Database, token: ApiToken, hash: string) {
  await db
    .prepare(
      `INSERT INTO api_tokens (id, name, token_hash, scopes, workflows, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      token.id,
      token.name,
      hash,
      JSON.stringify(token.scopes),
      token.workflows ? JSON.stringify(token.workflows) : null,
      token.createdAt,
      token.expiresAt ?? null,
    )
    .run()
}

export async function listTokens(db: D1Database): Promise<ApiToken[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at DESC, id`)
    .all<TokenRow>()
  return results.map(toToken)
}

export async function deleteToken(db: D1Database, id: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM api_tokens WHERE id = ?').bind(id).run()
  return result.meta.changes > 0
}

/**
 * The live token with this hash (not expired), or undefined. Its last use is recorded in
 * `later` (waitUntil), at most once a minute.
 */
export async function findToken(
  db: D1Database,
  hash: string,
  now: number,
  later: (promise: Promise<unknown>) => void,
): Promise<ApiToken | undefined> {
  const row = await db
    .prepare(
      `SELECT ${COLUMNS} FROM api_tokens
       WHERE token_hash = ? AND (expires_at IS NULL OR expires_at > ?)`,
    )
    .bind(hash, now)
    .first<TokenRow>()
  if (!row) return undefined
  if (row.last_used_at === null || row.last_used_at <= now - LAST_USED_EVERY_MS) {
    later(
      db
        .prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
        .bind(now, row.id)
        .run()
        .catch(() => undefined),
    )
  }
  return toToken(row)
}
