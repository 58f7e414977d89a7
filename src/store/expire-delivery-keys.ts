/** Delivery ids only matter for the 24-hour dedupe window; older ones are dropped by the cron. */
export const DEDUPE_WINDOW_MS = 24 * 3600_000

export async function expireDeliveryKeys(db: D1Database, now = Date.now()) {
  const { meta } = await db
    .prepare('DELETE FROM ingest_keys WHERE created_at < ?')
    .bind(now - DEDUPE_WINDOW_MS)
    .run()
  return meta.changes
}
