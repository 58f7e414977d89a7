import { describeError } from '../errors'
import { open, seal } from './crypto'
import { keyFor, keyring, slotInfo } from './keyring'
import { boundData } from './store'

/** Rows per call: a select, a count and one UPDATE each stay under the free plan's 50 queries. */
export const RE_ENCRYPT_DEFAULT_BATCH = 25
export const RE_ENCRYPT_MAX_BATCH = 40

type SealedRow = {
  name: string
  type: string
  base_url: string | null
  key_id: string
  iv: string
  ciphertext: string
}

export type ReEncryptFailure = { name: string; keyId: string; code: string; message: string }

/**
 * Re-encrypts up to `limit` credentials not on the current key, in name order after `after`,
 * under the current key. Each row's UPDATE is conditional on the ciphertext it read, so a row
 * replaced meanwhile (PUT /api/credentials/:name) is left as the replacement wrote it, and a row
 * is never half-written. Rows already on the current key are not touched: running it again does
 * nothing more. A row this Worker cannot decrypt is reported, not retried: `next` moves past it.
 */
export async function reEncryptBatch(
  db: D1Database,
  env: object,
  { after = '', limit = RE_ENCRYPT_DEFAULT_BATCH }: { after?: string; limit?: number } = {},
) {
  const ring = await keyring(env)
  const current = ring.current
  const { results: rows } = await db
    .prepare(
      'select name, type, base_url, key_id, iv, ciphertext from credentials ' +
        'where key_id != ? and name > ? order by name limit ?',
    )
    .bind(current.id, after, limit)
    .all<SealedRow>()
  const failed: ReEncryptFailure[] = []
  const updates: D1PreparedStatement[] = []
  for (const row of rows) {
    const what = `Credential ${row.name}`
    const bound = boundData(row.name, row.type, row.base_url)
    try {
      const sealed = { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext }
      const plaintext = await open(keyFor(ring, row.key_id, what), sealed, bound, what)
      const next = await seal(current, plaintext, bound)
      updates.push(
        db
          .prepare(
            'update credentials set key_id = ?, iv = ?, ciphertext = ? ' +
              'where name = ? and key_id = ? and iv = ? and ciphertext = ?',
          )
          .bind(next.keyId, next.iv, next.ciphertext, row.name, row.key_id, row.iv, row.ciphertext),
      )
    } catch (error) {
      const { code = 'CREDENTIAL_UNREADABLE', message } = describeError(error)
      failed.push({ name: row.name, keyId: row.key_id, code, message })
    }
  }
  const results = updates.length ? await db.batch(updates) : []
  const reEncrypted = results.filter((result) => result.meta.changes === 1).length
  const remaining = await db
    .prepare('select count(*) as n from credentials where key_id != ?')
    .bind(current.id)
    .first<number>('n')
  return {
    current: slotInfo(current),
    reEncrypted,
    failed,
    next: rows.length === limit ? rows[rows.length - 1]!.name : null,
    remaining: remaining ?? 0,
  }
}

/**
 * Which keys this Worker holds, how many credentials each key id wrote, and how many unfinished
 * runs make their resume URLs with each key (src/engine/resume-key.ts): those cannot move to a
 * new key, since their links are out already, so an old slot stays until they end.
 */
export async function keyStatus(db: D1Database, env: object) {
  const ring = await keyring(env)
  const [credentials, runs] = await db.batch<{ key_id: string; n: number }>([
    db.prepare('select key_id, count(*) as n from credentials group by key_id order by key_id'),
    // resume_key is `derived:<keyId>:<salt>` (DERIVED_PREFIX in src/store/run-model.ts).
    db.prepare(
      `select substr(resume_key, 9, instr(substr(resume_key, 9), ':') - 1) as key_id,
         count(*) as n from runs
       where finished_at is null and resume_key like 'derived:%'
       group by key_id order by key_id`,
    ),
  ])
  const counts = (rows: { key_id: string; n: number }[]) =>
    rows.map((r) => ({ keyId: r.key_id, slot: ring.byId(r.key_id)?.slot ?? null, count: r.n }))
  return {
    current: slotInfo(ring.current),
    keys: ring.keys.map(slotInfo),
    credentials: counts(credentials!.results),
    resumingRuns: counts(runs!.results),
  }
}
