import { AutomateError } from '../errors'

/** Shorter keys are refused: `npm start` and `npm run deploy` make 43-character ones. */
export const MIN_KEY_LENGTH = 32

export type Sealed = { keyId: string; iv: string; ciphertext: string }

export type Key = {
  id: string
  aes: CryptoKey
  /** HMAC-SHA-256 key for resume URLs (src/engine/resume-key.ts): a secret D1 never holds. */
  resume: CryptoKey
}

const encoder = new TextEncoder()
// One derivation per key per isolate: HKDF and importKey are cheap, but not free on every step.
const keys = new Map<string, Promise<Key>>()

/**
 * The AES-256-GCM key behind one key secret (ENCRYPTION_KEY or a later slot: keyring.ts). Derived
 * with HKDF rather than decoded, so any long random string works (a password manager's,
 * `openssl rand -base64 32`, ours). `slot` names the secret in errors; its value is never quoted.
 */
export function encryptionKey(secret: string, slot = 'ENCRYPTION_KEY'): Promise<Key> {
  if (secret.length < MIN_KEY_LENGTH) {
    throw new AutomateError(
      'ENCRYPTION_KEY_TOO_SHORT',
      `${slot} must be at least ${MIN_KEY_LENGTH} characters of random text`,
      { status: 503, retryable: false },
    )
  }
  let key = keys.get(secret)
  if (!key) {
    key = deriveKey(secret)
    keys.set(secret, key)
  }
  return key
}

async function deriveKey(secret: string): Promise<Key> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, [
    'deriveKey',
    'deriveBits',
  ])
  const params = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: encoder.encode('automateos'),
    info: encoder.encode(info),
  })
  const aes = await crypto.subtle.deriveKey(
    params('credentials/aes-gcm/v1'),
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
  const resume = await crypto.subtle.deriveKey(
    params('resume-urls/hmac/v1'),
    material,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  )
  // A short public fingerprint of the key, to tell which key wrote a row during a rotation.
  const idBits = await crypto.subtle.deriveBits(params('credentials/key-id/v1'), material, 48)
  return { id: toBase64Url(new Uint8Array(idBits)), aes, resume }
}

/** Encrypts `plaintext` with a fresh random IV; `bound` must be given again to decrypt. */
export async function seal(key: Key, plaintext: string, bound: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(bound) },
    key.aes,
    encoder.encode(plaintext),
  )
  return { keyId: key.id, iv: toBase64Url(iv), ciphertext: toBase64Url(new Uint8Array(ciphertext)) }
}

/** The plaintext, or a coded error when the key or the bound data differ from the sealing. */
export async function open(key: Key, sealed: Sealed, bound: string, what: string): Promise<string> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(sealed.iv), additionalData: encoder.encode(bound) },
      key.aes,
      fromBase64Url(sealed.ciphertext),
    )
    return new TextDecoder().decode(plaintext)
  } catch (error) {
    // The keyring chose the key by the row's key id, so the key is right: the row was changed.
    throw new AutomateError(
      'CREDENTIAL_UNREADABLE',
      `${what} does not decrypt under key ${key.id}: its stored row was changed outside AutomateOS; re-create it`,
      { status: 500, retryable: false, cause: error },
    )
  }
}

export function toBase64Url(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const bytes = new Uint8Array(raw.length)
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i)
  return bytes
}
