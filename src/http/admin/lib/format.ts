// Shown in UTC: the server has no idea of the reader's zone, and the page runs no scripts.
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  return iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  // Durations are whole milliseconds, so 0 means faster than one.
  if (ms < 1) return '< 1 ms'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** Wall time of a finished run, from the Engine picking it up (or arrival) to the end. */
export function runDurationMs(run: {
  createdAt: string | null
  startedAt: string | null
  finishedAt: string | null
}): number | null {
  const start = run.startedAt ?? run.createdAt
  if (!start || !run.finishedAt) return null
  return Date.parse(run.finishedAt) - Date.parse(start)
}

// A payload may be megabytes; the page shows the start and the API has the rest.
const JSON_DISPLAY_LIMIT = 100_000

export function prettyJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2) ?? 'null'
  if (text.length <= JSON_DISPLAY_LIMIT) return text
  return `${text.slice(0, JSON_DISPLAY_LIMIT)}\n… (${text.length - JSON_DISPLAY_LIMIT} more characters: see the API)`
}

export function statusLabel(status: string): string {
  return status.replace(/_/g, ' ')
}
