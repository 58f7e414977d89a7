const HASHES = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' } as const

export type HmacAlgorithm = keyof typeof HASHES

/** The HMAC of `data` under `secret` (UTF-8), as raw bytes. */
export async function hmac(
  algorithm: HmacAlgorithm,
  secret: string,
  data: ArrayBuffer | Uint8Array | string,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: HASHES[algorithm] },
    false,
    ['sign'],
  )
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, bytes))
}

/** Constant-time for equal lengths; a length difference says nothing about the secret. */
export function bytesEqual(given: Uint8Array | undefined, expected: Uint8Array) {
  return (
    given !== undefined &&
    given.length === expected.length &&
    crypto.subtle.timingSafeEqual(given, expected)
  )
}

export function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return undefined
  return Uint8Array.from(text.match(/../g)!.map((byte) => parseInt(byte, 16)))
}

export function fromBase64(text: string): Uint8Array | undefined {
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}

/** The body bytes with a text prefix, for schemes that sign `<timestamp><sep><body>`. */
export function prefixed(prefix: string, body: ArrayBuffer): Uint8Array {
  const head = new TextEncoder().encode(prefix)
  const joined = new Uint8Array(head.length + body.byteLength)
  joined.set(head)
  joined.set(new Uint8Array(body), head.length)
  return joined
}

/** HMAC-SHA-256 of `message` keyed by `key`, as lower-case hex. */
export async function hmacHex(key: string, message: string): Promise<string> {
  const encoder = new TextEncoder()
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
