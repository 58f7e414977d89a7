export type NotionVerification = {
  workflowId: string
  credential: string
  receivedAt: number
  verifiedAt: number | null
}

/** Records that a workflow's Notion handshake stored its token in `credential`. */
export function recordNotionVerification(
  db: D1Database,
  workflowId: string,
  credential: string,
  now: number,
) {
  return db
    .prepare(
      `INSERT INTO notion_verifications (workflow_id, credential, received_at, verified_at)
       VALUES (?1, ?2, ?3, NULL)
       ON CONFLICT (workflow_id) DO UPDATE SET
         credential = excluded.credential, received_at = excluded.received_at, verified_at = NULL`,
    )
    .bind(workflowId, credential, now)
    .run()
}

/** The first event signed with the token proves Notion has it: it is not shown from then on. */
export function markNotionVerified(db: D1Database, workflowId: string, now: number) {
  return db
    .prepare(
      `UPDATE notion_verifications SET verified_at = ?2
       WHERE workflow_id = ?1 AND verified_at IS NULL`,
    )
    .bind(workflowId, now)
    .run()
}

export async function readNotionVerification(
  db: D1Database,
  workflowId: string,
): Promise<NotionVerification | undefined> {
  const row = await db
    .prepare(
      `SELECT workflow_id, credential, received_at, verified_at
       FROM notion_verifications WHERE workflow_id = ?`,
    )
    .bind(workflowId)
    .first<{
      workflow_id: string
      credential: string
      received_at: number
      verified_at: number | null
    }>()
  return row
    ? {
        workflowId: row.workflow_id,
        credential: row.credential,
        receivedAt: row.received_at,
        verifiedAt: row.verified_at,
      }
    : undefined
}
