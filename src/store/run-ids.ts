/**
 * The smallest run id created at `ms` or later. Run ids are UUIDv7, whose first 48 bits are the
 * creation time, so a time range is an id range: it uses the primary key (and the per-workflow
 * index) instead of a scan of created_at.
 */
export function runIdFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12)
  return `${hex.slice(0, 8)}-${hex.slice(8)}`
}
