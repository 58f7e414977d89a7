import { asc, eq, sql } from 'drizzle-orm'
import { credentials } from '../db/schema'
import { AutomateError } from '../errors'
import { database } from '../store/db'
import { open, seal } from './crypto'
import { keyFor, keyring, type Keyring } from './keyring'
import type { CredentialType } from './types'

export type CredentialInput = {
  name: string
  type: CredentialType
  data: unknown
  baseUrl?: string
}

/** What anyone may see of a credential: never its data. */
export type CredentialInfo = {
  name: string
  type: CredentialType
  baseUrl?: string
  createdAt: number
  updatedAt: number
  /** An oauth2 credential's state: never connected, connected, or its grant is gone. */
  connection?: {
    status: 'not_connected' | 'connected' | 'needs_reconnect'
    note?: string
    since?: number
  }
}

type Row = typeof credentials.$inferSelect

/**
 * The additional data sealed with the ciphertext: a row whose name, type or base URL was changed
 * in D1 (to send the token to another server, say) no longer decrypts.
 */
export function boundData(name: string, type: string, baseUrl: string | null | undefined) {
  return JSON.stringify(['automateos-credential/v1', name, type, baseUrl ?? null])
}

function info(row: Row): CredentialInfo {
  return {
    name: row.name,
    type: row.type as CredentialType,
    ...(row.baseUrl ? { baseUrl: row.baseUrl } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    ...(row.type === 'oauth2' ? { connection: connectionOf(row) } : {}),
  }
}

function connectionOf(row: Pick<Row, 'connection' | 'connectionNote' | 'connectionChangedAt'>) {
  const status = (row.connection ?? 'not_connected') as 'not_connected'
  return {
    status,
    ...(row.connectionNote ? { note: row.connectionNote } : {}),
    ...(row.connectionChangedAt ? { since: row.connectionChangedAt } : {}),
  }
}

const INFO_COLUMNS = {
  name: credentials.name,
  type: credentials.type,
  baseUrl: credentials.baseUrl,
  createdAt: credentials.createdAt,
  updatedAt: credentials.updatedAt,
  connection: credentials.connection,
  connectionNote: credentials.connectionNote,
  connectionChangedAt: credentials.connectionChangedAt,
}

export async function listCredentials(d1: D1Database): Promise<CredentialInfo[]> {
  const rows = await database(d1)
    .select(INFO_COLUMNS)
    .from(credentials)
    .orderBy(asc(credentials.name))
  return rows.map((row) => info(row as Row))
}

export async function findCredential(d1: D1Database, name: string) {
  const [row] = await database(d1).select().from(credentials).where(eq(credentials.name, name))
  return row
}

export async function credentialInfo(d1: D1Database, name: string) {
  const row = await findCredential(d1, name)
  return row ? info(row) : undefined
}

/** Types of the named credentials that exist, in one query (a workflow's save-time check). */
export async function credentialTypes(d1: D1Database, names: string[]) {
  if (names.length === 0) return new Map<string, string>()
  const placeholders = names.map(() => '?').join(', ')
  const { results } = await d1
    .prepare(`select name, type from credentials where name in (${placeholders})`)
    .bind(...names)
    .all<{ name: string; type: string }>()
  return new Map(results.map((r) => [r.name, r.type]))
}

/** The Worker's env, where the key secrets are (keyring.ts). */
type KeyEnv = object

async function sealedRow(keys: KeyEnv, input: CredentialInput) {
  const { current } = await keyring(keys)
  const bound = boundData(input.name, input.type, input.baseUrl)
  return seal(current, JSON.stringify(input.data), bound)
}

export async function insertCredential(
  d1: D1Database,
  keys: KeyEnv,
  input: CredentialInput,
): Promise<CredentialInfo> {
  const sealed = await sealedRow(keys, input)
  const now = Date.now()
  const row: Row = {
    name: input.name,
    type: input.type,
    baseUrl: input.baseUrl ?? null,
    ...sealed,
    createdAt: now,
    updatedAt: now,
    version: 0,
    leaseUntil: null,
    connection: null,
    connectionNote: null,
    connectionChangedAt: null,
  }
  const inserted = await database(d1)
    .insert(credentials)
    .values(row)
    .onConflictDoNothing()
    .returning({ name: credentials.name })
  if (inserted.length === 0) {
    throw new AutomateError(
      'CREDENTIAL_EXISTS',
      `A credential named ${input.name} already exists`,
      {
        status: 409,
        details: [
          { path: 'name', message: 'already exists; PUT /api/credentials/:name replaces it' },
        ],
      },
    )
  }
  return info(row)
}

/** Replaces the data (and base URL) of an existing credential; undefined when there is none. */
export async function replaceCredential(
  d1: D1Database,
  keys: KeyEnv,
  input: CredentialInput,
): Promise<CredentialInfo | undefined> {
  const sealed = await sealedRow(keys, input)
  const [row] = await database(d1)
    .update(credentials)
    // New data is a new app (an oauth2 client id or secret): any connection made with the old one
    // is forgotten, and the version moves so a refresh in flight does not write over it.
    .set({
      type: input.type,
      baseUrl: input.baseUrl ?? null,
      ...sealed,
      updatedAt: Date.now(),
      version: sql`${credentials.version} + 1`,
      leaseUntil: null,
      connection: null,
      connectionNote: null,
      connectionChangedAt: null,
    })
    .where(eq(credentials.name, input.name))
    .returning()
  return row ? info(row) : undefined
}

export async function deleteCredential(d1: D1Database, name: string): Promise<boolean> {
  const deleted = await database(d1)
    .delete(credentials)
    .where(eq(credentials.name, name))
    .returning({ name: credentials.name })
  return deleted.length > 0
}

/** Decrypts a stored row's data with the key that wrote it; the caller checks its type. */
export async function openRow(keys: KeyEnv, row: Row): Promise<unknown> {
  return JSON.parse(await openText(await keyring(keys), row))
}

function openText(ring: Keyring, row: Row) {
  const what = `Credential ${row.name}`
  return open(keyFor(ring, row.keyId, what), row, boundData(row.name, row.type, row.baseUrl), what)
}
