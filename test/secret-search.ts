import { vi } from 'vitest'

/**
 * Every row of every D1 table as text, one entry per table: all columns, blobs decoded, and the
 * `blobs` table's chunks joined per payload, so a secret cut in two by a chunk boundary is found.
 */
export async function everyD1Row(db: D1Database): Promise<Record<string, string>> {
  const { results: tables } = await db
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    )
    .all<{ name: string }>()
  const found: Record<string, string> = {}
  for (const { name } of tables) {
    const { results } = await db.prepare(`SELECT * FROM "${name}"`).all<Record<string, unknown>>()
    found[name] = results.map((row) => Object.values(row).map(asText).join('\t')).join('\n')
  }
  if (tables.some((t) => t.name === 'blobs')) {
    const { results } = await db
      .prepare('SELECT id, data FROM blobs ORDER BY id, seq')
      .all<{ id: string; data: unknown }>()
    const joined = new Map<string, string>()
    for (const row of results) joined.set(row.id, (joined.get(row.id) ?? '') + asText(row.data))
    found['blobs (chunks joined)'] = [...joined.values()].join('\n')
  }
  return found
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof ArrayBuffer) return new TextDecoder().decode(value)
  if (ArrayBuffer.isView(value)) return new TextDecoder().decode(value)
  if (Array.isArray(value)) return new TextDecoder().decode(new Uint8Array(value as number[]))
  return String(value)
}

/** Every console line written while a test runs (the Worker shares the test's isolate). */
export function captureConsole() {
  const lines: string[] = []
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
    })
  }
  return lines
}

/** Where each secret turns up: `place: secret…`, empty when none does. */
export function leaksOf(places: Record<string, string>, secrets: readonly string[]) {
  return Object.entries(places).flatMap(([place, text]) =>
    secrets
      .filter(
        (secret) =>
          text.includes(secret) ||
          text.includes(encodeURIComponent(secret)) ||
          text.includes(formEncoded(secret)),
      )
      .map((secret) => `${place}: ${secret.slice(0, 24)}…`),
  )
}

/** As a form body carries it (an OAuth token request): `~` as %7E, spaces as `+`. */
export function formEncoded(secret: string) {
  return new URLSearchParams({ s: secret }).toString().slice(2)
}

/**
 * Where a piece of a secret turns up: any `length` consecutive characters of it, as
 * `place: secret… (piece)`. For secrets made by `oddSecret`, whose pieces no other text holds.
 */
export function piecesOf(places: Record<string, string>, secrets: readonly string[], length = 5) {
  return Object.entries(places).flatMap(([place, text]) =>
    secrets.flatMap((secret) => {
      for (let i = 0; i + length <= secret.length; i++) {
        const piece = secret.slice(i, i + length)
        if (text.includes(piece) || text.includes(formEncoded(piece)))
          return [`${place}: ${secret.slice(0, 12)}… (${piece})`]
      }
      return []
    }),
  )
}

/**
 * A random secret whose every 5-character piece holds a `~` beside letters: no ID, hash, base64
 * ciphertext or English text has such a piece, so finding one means a secret leaked in part.
 */
export function oddSecret(length = 36) {
  const letters = 'QZXJKVWqzxjkvw'
  return Array.from(crypto.getRandomValues(new Uint8Array(length)), (byte, i) =>
    i % 3 === 2 ? '~' : letters[byte % letters.length],
  ).join('')
}
