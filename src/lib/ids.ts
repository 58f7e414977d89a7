/**
 * UUIDv7 (RFC 9562): time-ordered, so ids sort like creation time and runs page newest-first by
 * id. Within one millisecond the 12 `rand_a` bits are a counter (RFC 9562 §6.2, method 1), so ids
 * made by one isolate are strictly increasing even when many are made in the same millisecond;
 * the rest of the bits come from the platform CSPRNG.
 */
let lastMs = -1
let counter = 0

const COUNTER_MAX = 0xfff

export function uuidv7(now = Date.now()): string {
  let ms = now
  if (ms > lastMs) {
    // A fresh millisecond: seed the counter in its lower half, leaving room to count up.
    counter = crypto.getRandomValues(new Uint16Array(1))[0]! & 0x7ff
  } else {
    // Same millisecond, or the clock stepped back: keep counting from the last id.
    ms = lastMs
    counter += 1
    if (counter > COUNTER_MAX) {
      ms += 1
      counter = crypto.getRandomValues(new Uint16Array(1))[0]! & 0x7ff
    }
  }
  lastMs = ms

  const bytes = crypto.getRandomValues(new Uint8Array(16))
  let rest = ms
  for (let i = 5; i >= 0; i--) {
    bytes[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes))
  return btoa(String.fromCharCode(...raw))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** Equal-length digests first, so the comparison time says nothing about the secret. */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder()
  const [da, db] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ])
  return crypto.subtle.timingSafeEqual(da, db)
}

/** How a stored token hash begins: a value without it is a token stored in clear (before 0014). */
export const TOKEN_HASH_PREFIX = 'sha256:'

/**
 * What D1 keeps of a random token (a webhook token): its SHA-256, so a D1 export cannot start
 * runs. A plain hash is enough: the tokens are 192 random bits, nothing to brute-force.
 */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))
  const text = btoa(String.fromCharCode(...new Uint8Array(digest)))
  return TOKEN_HASH_PREFIX + text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export const isTokenHash = (stored: string) => stored.startsWith(TOKEN_HASH_PREFIX)

/**
 * Whether `token` is the one `stored` keeps (a hash, or a legacy token in clear), compared in
 * constant time.
 */
export async function tokenMatches(token: string, stored: string): Promise<boolean> {
  return secretsEqual(isTokenHash(stored) ? await hashToken(token) : token, stored)
}
