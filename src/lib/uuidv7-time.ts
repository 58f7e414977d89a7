/**
 * The smallest UUIDv7 text of millisecond `ms`. Run and blob ids are UUIDv7 (src/lib/ids.ts), so
 * `id < uuidv7Floor(t)` selects what was created before `t` with a range scan of the primary key.
 */
export function uuidv7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`
}

const UUIDV7 = /^([0-9a-f]{8})-([0-9a-f]{4})-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** When a UUIDv7 was made, or undefined for any other id. */
export function uuidv7Time(id: string): number | undefined {
  const match = UUIDV7.exec(id)
  return match ? parseInt(match[1]! + match[2]!, 16) : undefined
}
