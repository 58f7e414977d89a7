import { redactFields } from '../redact/redact'

export type LogLevel = 'info' | 'warn' | 'error'

/**
 * One JSON line per event, so Workers Logs can filter on `event` and its fields. Callers pass
 * ids and codes, never inputs or outputs: those can carry personal data. Every line is redacted
 * here, once (src/redact/redact.ts): fields named like secrets, webhook URL paths, bearer tokens and
 * the secret values this isolate knows, so an error message quoting one cannot leak it.
 */
export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ event, ...(redactFields(fields) as Record<string, unknown>) })
  if (level === 'error') console.error(line)
  else if (level === 'warn') console.warn(line)
  else console.log(line)
}
