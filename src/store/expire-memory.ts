/** Rows per statement: one cron tick (every minute) removes up to this many expired keys. */
export const EXPIRE_MEMORY_LIMIT = 1000

/**
 * Deletes memory keys whose time is up. Reads never return them anyway (src/store/memory.ts);
 * this only gives the space back, a bounded batch per tick through the expires_at index.
 */
export async function expireMemory(db: D1Database, now = Date.now(), limit = EXPIRE_MEMORY_LIMIT) {
  const { meta } = await db
    .prepare(
      `DELETE FROM memory WHERE rowid IN (SELECT rowid FROM memory
         WHERE expires_at IS NOT NULL AND expires_at <= ?1 LIMIT ?2)`,
    )
    .bind(now, limit)
    .run()
  return meta.changes
}
