import { toBase64Url } from '../credentials/crypto'
import { keyring } from '../credentials/keyring'
import { AutomateError } from '../errors'
import { randomToken } from '../lib/ids'
import { DERIVED_PREFIX } from '../store/run-model'

/**
 * What D1 keeps of a new run's resume key: a random salt and the id of the encryption key slot
 * that derives it (resumeKeyOf). Neither is a secret: a D1 export alone makes no resume URL.
 */
export async function freshResumeSalt(keySlots: object): Promise<string> {
  const { current } = await withKeys(keySlots)
  return `${DERIVED_PREFIX}${current.id}:${randomToken(16)}`
}

export const isDerived = (stored: string) => stored.startsWith(DERIVED_PREFIX)

/** The key id a stored value names; undefined for a legacy key kept in clear. */
export function resumeKeyId(stored: string): string | undefined {
  if (!isDerived(stored)) return undefined
  return stored.slice(DERIVED_PREFIX.length).split(':')[0]
}

/**
 * The run's resume key, which every resume and decision token of the run is an HMAC under
 * (resume-url.ts): an HMAC of the run id and its salt under the Worker's resume secret (derived
 * from the encryption key slot the salt names), so it is the same in every message and isolate,
 * and never written anywhere. A legacy value is the key itself: runs that were waiting when the
 * key stopped being stored keep the URLs they handed out.
 */
export async function resumeKeyOf(keySlots: object, runId: string, stored: string) {
  if (!isDerived(stored)) return stored
  const [keyId = '', salt = ''] = stored.slice(DERIVED_PREFIX.length).split(':')
  const ring = await withKeys(keySlots)
  const key = ring.byId(keyId)
  if (!key) {
    throw new AutomateError(
      'RESUME_URL_UNAVAILABLE',
      `The resume URLs of run ${runId} are made with encryption key ${keyId}, which this Worker ` +
        'no longer has; set that key again in a free ENCRYPTION_KEY_<n> slot',
      { retryable: false, details: { keyId } },
    )
  }
  const mac = await crypto.subtle.sign(
    'HMAC',
    key.resume,
    new TextEncoder().encode(`run:${runId}:${salt}`),
  )
  return toBase64Url(new Uint8Array(mac))
}

/** The keyring, or a message that says resume URLs need ENCRYPTION_KEY (not only credentials). */
async function withKeys(keySlots: object) {
  try {
    return await keyring(keySlots)
  } catch (error) {
    throw new AutomateError(
      'RESUME_URL_UNAVAILABLE',
      'run.resumeUrl needs the ENCRYPTION_KEY secret, which is not set (or too short): its ' +
        'tokens are made with it, so that the database alone cannot answer a wait; `npm start` ' +
        'and `npm run deploy` set one, or run `npx wrangler secret put ENCRYPTION_KEY`',
      { retryable: false, cause: error },
    )
  }
}
