// Signatures for webhook tests, computed from each sender's documented scheme with WebCrypto
// directly, never with the code under test.
const encoder = new TextEncoder()

export async function hmacBytes(secret: string, data: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
}

export const toHex = (bytes: Uint8Array) =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))

export const hmacHex = async (secret: string, data: string) => toHex(await hmacBytes(secret, data))

export const nowSeconds = () => Math.floor(Date.now() / 1000)
