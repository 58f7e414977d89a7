import { AutomateError } from '../errors'
import { uuidv7 } from '../lib/ids'

// D1 caps a row at 2 MB and a queue message at 128 KB. Larger JSON is kept in `blobs`, in
// chunks, and the column or message holds a reference instead. JSON text never starts with
// "blob:", so a reference cannot be mistaken for data.
export const REF_PREFIX = 'blob:'
/** Characters of JSON kept inline in a D1 column (a UTF-16 unit is at most 3 bytes of UTF-8). */
export const COLUMN_INLINE_LIMIT = 256 * 1024
/** Bytes a queue message may hold (128 KB), less room for the envelope around the payload. */
const MESSAGE_BYTES = 124 * 1024
const CHUNK = 512 * 1024

export type Encoded = { text: string; statements: D1PreparedStatement[] }

/**
 * For a queue message: inline while the payload and what travels with it (`besideBytes`) fit the
 * message limit, which counts UTF-8 bytes, not characters.
 */
export function encodeForMessage(db: D1Database, value: unknown, besideBytes: number): Encoded {
  const text = JSON.stringify(value === undefined ? null : value)
  // A UTF-16 unit is at most 3 bytes of UTF-8: most payloads need no exact count.
  const fits =
    text.length * 3 + besideBytes <= MESSAGE_BYTES ||
    utf8Length(text) + besideBytes <= MESSAGE_BYTES
  return fits ? { text, statements: [] } : encodeText(db, text, 0)
}

export function utf8Length(text: string) {
  return new TextEncoder().encode(text).byteLength
}

/** JSON text for a column, or a blob reference plus the statements that write the blob. */
export function encodeText(
  db: D1Database,
  text: string,
  inlineLimit = COLUMN_INLINE_LIMIT,
): Encoded {
  if (text.length <= inlineLimit) return { text, statements: [] }
  const id = uuidv7()
  const now = Date.now()
  const statements = splitChunks(text).map((chunk, seq) =>
    db
      .prepare('INSERT INTO blobs (id, seq, data, created_at) VALUES (?, ?, ?, ?)')
      .bind(id, seq, chunk, now),
  )
  return { text: REF_PREFIX + id, statements }
}

export function isBlobRef(text: string | null | undefined): text is string {
  return typeof text === 'string' && text.startsWith(REF_PREFIX)
}

/** The JSON value behind a column: inline JSON or a blob reference. */
export async function decodePayload(
  db: D1Database,
  text: string | null | undefined,
): Promise<unknown> {
  if (text === null || text === undefined) return null
  if (!isBlobRef(text)) return JSON.parse(text)
  const id = text.slice(REF_PREFIX.length)
  const { results } = await db
    .prepare('SELECT data FROM blobs WHERE id = ? ORDER BY seq')
    .bind(id)
    .all<{ data: string }>()
  if (results.length === 0) {
    throw new AutomateError('PAYLOAD_MISSING', `Stored payload ${id} was not found`, {
      retryable: false,
    })
  }
  return JSON.parse(results.map((r) => r.data).join(''))
}

function splitChunks(text: string): string[] {
  const chunks: string[] = []
  let start = 0
  while (start < text.length) {
    let end = Math.min(start + CHUNK, text.length)
    // Never split a surrogate pair: half of one is not valid UTF-8 and would be mangled.
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    chunks.push(text.slice(start, end))
    start = end
  }
  return chunks
}
