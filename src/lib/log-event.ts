export type LogLevel = 'info' | 'warn' | 'error'

/**
 * One JSON line per event, so Workers Logs can filter on `event` and its fields. Callers pass
 * ids and codes, never inputs, outputs or secrets: those can carry personal data.
 */
export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ event, ...fields })
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}
