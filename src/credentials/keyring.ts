import { AutomateError } from '../errors'
import { encryptionKey, type Key } from './crypto'

/**
 * The key secrets a Worker may hold: ENCRYPTION_KEY is generation 1, ENCRYPTION_KEY_2,
 * ENCRYPTION_KEY_3… the later ones. The highest generation set encrypts; every one set decrypts,
 * chosen by the key id a row records. A rotation adds the next slot and never needs the old
 * key's value back: Cloudflare secrets cannot be read, and `npm run deploy` never shows the key
 * it made. Once no row is left on an old key, its slot is deleted (`npm run rotate-key`).
 */
export const KEY_SLOT = /^ENCRYPTION_KEY(?:_([2-9]|[1-9][0-9]+))?$/

export type KeySlot = { slot: string; generation: number; secret: string }

export type SlotKey = Key & { slot: string }

export type Keyring = {
  /** The key new rows are sealed with: the highest generation set. */
  current: SlotKey
  /** Every key set, newest first (current included). */
  keys: SlotKey[]
  /** The key whose id a row records, if this Worker has it. */
  byId(id: string): SlotKey | undefined
}

/** The key secrets set (non-empty) in `env`, newest generation first. */
export function keySlots(env: object): KeySlot[] {
  const slots: KeySlot[] = []
  for (const [slot, secret] of Object.entries(env)) {
    const match = KEY_SLOT.exec(slot)
    if (!match || typeof secret !== 'string' || secret === '') continue
    slots.push({ slot, generation: match[1] ? Number(match[1]) : 1, secret })
  }
  return slots.sort((a, b) => b.generation - a.generation)
}

/** The keyring of `env`; 503 ENCRYPTION_KEY_MISSING when no key is set at all. */
export async function keyring(env: object): Promise<Keyring> {
  const slots = keySlots(env)
  if (slots.length === 0) {
    throw new AutomateError(
      'ENCRYPTION_KEY_MISSING',
      'Credentials need the ENCRYPTION_KEY secret, which is not set: `npm start` adds one to ' +
        '.dev.vars, `npm run deploy` sets one, or run `npx wrangler secret put ENCRYPTION_KEY`',
      { status: 503, retryable: false },
    )
  }
  const keys = await Promise.all(
    slots.map(async ({ slot, secret }) => ({ ...(await encryptionKey(secret, slot)), slot })),
  )
  return { current: keys[0]!, keys, byId: (id) => keys.find((key) => key.id === id) }
}

/**
 * The key that wrote a row, or a CREDENTIAL_UNREADABLE that names the row's key id and the ids
 * this Worker has (ids are public fingerprints; the keys themselves are never quoted).
 */
export function keyFor(ring: Keyring, keyId: string, what: string): SlotKey {
  const key = ring.byId(keyId)
  if (key) return key
  const held = ring.keys.map((k) => `${k.slot} is ${k.id}`).join(', ')
  throw new AutomateError(
    'CREDENTIAL_UNREADABLE',
    `${what} was encrypted under key ${keyId}, which this Worker does not have (${held}); set the ` +
      'key that wrote it again (as ENCRYPTION_KEY or the slot it was in), or re-create it',
    { status: 500, retryable: false, details: { keyId, keys: ring.keys.map(slotInfo) } },
  )
}

/** What may be shown of a key: its slot name and id. */
export function slotInfo(key: SlotKey) {
  return { slot: key.slot, keyId: key.id }
}
