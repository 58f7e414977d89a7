// The admin page's sessions: a row per signed-in browser, which signing out deletes (the cookie
// itself is checked in src/http/admin/session.ts).

export async function isLiveSession(db: D1Database, id: string, now: number): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS live FROM admin_sessions WHERE id = ? AND expires_at > ?')
    .bind(id, now)
    .first<{ live: number }>()
  return row !== null
}

/** Records a new session, clearing expired ones in the same round trip. */
export async function insertSession(db: D1Database, id: string, now: number, expiresAt: number) {
  await db.batch([
    db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?').bind(now),
    db
      .prepare('INSERT INTO admin_sessions (id, created_at, expires_at) VALUES (?, ?, ?)')
      .bind(id, now, expiresAt),
  ])
}

export async function deleteSession(db: D1Database, id: string) {
  await db.prepare('DELETE FROM admin_sessions WHERE id = ?').bind(id).run()
}
