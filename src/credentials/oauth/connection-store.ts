import { OAUTH2_KIND, type OAuth2Data } from '../../clients/oauth2'
import type { TokenSet } from '../../clients/oauth2-protocol'
import { credentials } from '../../db/schema'
import { AutomateError } from '../../errors'
import { seal } from '../crypto'
import { keyring } from '../keyring'
import { boundData, openRow } from '../store'

export type CredentialRow = typeof credentials.$inferSelect

/** What an oauth2 row's ciphertext holds: the user's data, and the tokens once connected. */
export type OpenedOAuth = { data: OAuth2Data; tokens?: TokenSet }

/**
 * Decrypts an oauth2 row. The tokens are sealed beside the data, under the same key and bound
 * data, so they are never in a D1 column of their own.
 */
export async function openOAuth(keys: object, row: CredentialRow): Promise<OpenedOAuth> {
  const { connection, ...rest } = (await openRow(keys, row)) as Record<string, unknown>
  const data = OAUTH2_KIND.data.safeParse(rest)
  if (!data.success) {
    throw new AutomateError(
      'CREDENTIAL_UNREADABLE',
      `Credential ${row.name} no longer matches the oauth2 schema; replace it with PUT /api/credentials/${row.name}`,
      { status: 500, retryable: false },
    )
  }
  return { data: data.data, ...(connection ? { tokens: connection as TokenSet } : {}) }
}

async function sealed(keys: object, row: CredentialRow, opened: OpenedOAuth) {
  const { current } = await keyring(keys)
  const plaintext = JSON.stringify({
    ...opened.data,
    ...(opened.tokens ? { connection: opened.tokens } : {}),
  })
  return seal(current, plaintext, boundData(row.name, row.type, row.baseUrl))
}

/**
 * Stores new tokens if the row is still at `version` (the refresher's claim, or the version the
 * callback read): the rotated refresh token is in this same write. False when someone else
 * wrote first.
 */
export async function saveTokens(
  db: D1Database,
  keys: object,
  row: CredentialRow,
  version: number,
  opened: Required<OpenedOAuth>,
  now = Date.now(),
): Promise<boolean> {
  const next = await sealed(keys, row, opened)
  const result = await db
    .prepare(
      `UPDATE credentials SET key_id = ?1, iv = ?2, ciphertext = ?3, version = version + 1,
         lease_until = NULL, connection = 'connected', connection_note = NULL,
         connection_changed_at = CASE WHEN connection IS 'connected' THEN connection_changed_at ELSE ?4 END,
         updated_at = ?4
       WHERE name = ?5 AND version = ?6`,
    )
    .bind(next.keyId, next.iv, next.ciphertext, now, row.name, version)
    .run()
  return result.meta.changes === 1
}

/**
 * Claims the refresh of a credential read at `version`: moves it to the next version with a lease,
 * unless another run holds an unexpired lease. The compare-and-swap makes one winner across runs
 * and isolates.
 */
export async function claimRefresh(
  db: D1Database,
  name: string,
  version: number,
  leaseMs: number,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE credentials SET version = version + 1, lease_until = ?1
       WHERE name = ?2 AND version = ?3 AND (lease_until IS NULL OR lease_until <= ?4)`,
    )
    .bind(now + leaseMs, name, version, now)
    .run()
  return result.meta.changes === 1
}

/** Gives a claim up after a failure that may pass (a 5xx, no answer): the next run tries again. */
export async function releaseRefresh(db: D1Database, name: string, version: number) {
  await db
    .prepare('UPDATE credentials SET lease_until = NULL WHERE name = ?1 AND version = ?2')
    .bind(name, version)
    .run()
}

/** The grant is gone: runs fail with CREDENTIAL_NEEDS_RECONNECT until someone reconnects. */
export async function markNeedsReconnect(
  db: D1Database,
  name: string,
  version: number,
  note: string,
  now = Date.now(),
): Promise<boolean> {
  const result = await db
    .prepare(
      `UPDATE credentials SET version = version + 1, lease_until = NULL,
         connection = 'needs_reconnect', connection_note = ?1, connection_changed_at = ?2
       WHERE name = ?3 AND version = ?4`,
    )
    .bind(note.slice(0, 1000), now, name, version)
    .run()
  return result.meta.changes === 1
}

/** Forgets the tokens (disconnect): the data stays, sealed again without them. */
export async function forgetTokens(
  db: D1Database,
  keys: object,
  row: CredentialRow,
  data: OAuth2Data,
  now = Date.now(),
): Promise<boolean> {
  const next = await sealed(keys, row, { data })
  const result = await db
    .prepare(
      `UPDATE credentials SET key_id = ?1, iv = ?2, ciphertext = ?3, version = version + 1,
         lease_until = NULL, connection = NULL, connection_note = NULL,
         connection_changed_at = ?4, updated_at = ?4
       WHERE name = ?5 AND version = ?6`,
    )
    .bind(next.keyId, next.iv, next.ciphertext, now, row.name, row.version)
    .run()
  return result.meta.changes === 1
}
