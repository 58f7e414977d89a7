import { AutomateError, type ErrorCode } from '../../errors'
import { bytesEqual, hmac, prefixed } from '../../lib/hmac'
import type { SIGNATURE_PRESETS } from '../../workflow/trigger'

/** Stripe's and Slack's documented tolerance for the signed timestamp. */
export const TIMESTAMP_TOLERANCE_S = 300

/**
 * What a verified signature proves: the MAC bytes we computed (equal to the ones sent) and the
 * timestamp the scheme signs, if any. The replay key is made from these, never from the header
 * text, so no other spelling of the same signature counts as another delivery.
 */
export type Verified = { mac: Uint8Array; signedAt?: string }

type Check = (
  secret: string,
  headers: Headers,
  raw: ArrayBuffer,
  nowMs: number,
) => Promise<Verified>

export function signatureRejected(
  header: string,
  reason: string,
  code: ErrorCode = 'SIGNATURE_INVALID',
) {
  return new AutomateError(code, `Webhook signature rejected: ${reason}`, {
    status: 401,
    details: [{ path: `headers.${header.toLowerCase()}`, message: reason }],
  })
}

function required(headers: Headers, name: string) {
  const value = headers.get(name)
  if (!value) throw signatureRejected(name, `the ${name} header is missing`)
  return value
}

/** A replay outside the window is refused before any HMAC is computed. */
function checkFresh(header: string, timestamp: string, nowMs: number) {
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw signatureRejected(header, `the timestamp '${timestamp}' is not a Unix time in seconds`)
  }
  const age = Math.round(nowMs / 1000) - Number(timestamp)
  if (Math.abs(age) > TIMESTAMP_TOLERANCE_S) {
    throw signatureRejected(
      header,
      `the signed timestamp is ${Math.abs(age)} s ${age > 0 ? 'old' : 'in the future'}, ` +
        `outside the ${TIMESTAMP_TOLERANCE_S} s tolerance (a replayed or delayed delivery)`,
      'SIGNATURE_STALE',
    )
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/

/**
 * `<prefix><64 lower-case hex digits>` exactly, as GitHub, Slack, Stripe and Notion all send it:
 * upper case, spaces or a shorter value are another spelling, refused before any HMAC.
 */
function lowerHex(header: string, sent: string, prefix: string): Uint8Array {
  if (!sent.startsWith(prefix))
    throw signatureRejected(header, `it does not start with '${prefix}'`)
  const digits = sent.slice(prefix.length)
  if (!SHA256_HEX.test(digits)) {
    throw signatureRejected(header, `'${prefix}' must be followed by 64 lower-case hex digits`)
  }
  return hexBytes(digits)
}

function hexBytes(digits: string) {
  return Uint8Array.from(digits.match(/../g)!, (byte) => parseInt(byte, 16))
}

async function matching(header: string, sent: Uint8Array, expected: Uint8Array) {
  if (!bytesEqual(sent, expected))
    throw signatureRejected(header, 'the signature does not match the body')
  return expected
}

/**
 * Each sender's scheme exactly as it documents it, and only in the encoding it documents. Every
 * check covers the raw body bytes and compares in constant time.
 */
export const PRESETS: Record<(typeof SIGNATURE_PRESETS)[number], Check> = {
  // docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries:
  // X-Hub-Signature-256 = "sha256=" + the lower-case hex HMAC-SHA256 of the body (the documented
  // example value is lower case, and GitHub's own examples compare the strings).
  async github(secret, headers, raw) {
    const header = 'X-Hub-Signature-256'
    const sent = lowerHex(header, required(headers, header), 'sha256=')
    return { mac: await matching(header, sent, await hmac('sha256', secret, raw)) }
  },

  // docs.stripe.com/webhooks#verify-manually: Stripe-Signature "t=<unix>,v1=<hex>[,v1=…][,v0=…]",
  // elements split on ',' and each on '='; signed payload "<t>.<body>", HMAC-SHA256; any v1 may
  // match (one per secret during a roll); other schemes (v0, test mode) are discarded; the
  // timestamp within the tolerance. Nothing else is accepted: no spaces, one t, every element
  // `name=value`, every v1 64 lower-case hex digits.
  async stripe(secret, headers, raw, nowMs) {
    const header = 'Stripe-Signature'
    const sent = required(headers, header)
    let timestamp: string | undefined
    const signatures: string[] = []
    for (const part of sent.split(',')) {
      const match = /^([a-z0-9]+)=([^\s=,]+)$/.exec(part)
      if (!match) throw signatureRejected(header, `'${part}' is not a name=value element`)
      const [, key, value] = match as unknown as [string, string, string]
      if (key === 't') {
        if (timestamp !== undefined) throw signatureRejected(header, 'it has more than one t=')
        timestamp = value
      } else if (key === 'v1') {
        if (!SHA256_HEX.test(value))
          throw signatureRejected(header, 'a v1 signature is not 64 lower-case hex digits')
        signatures.push(value)
      }
    }
    if (timestamp === undefined) throw signatureRejected(header, 'it has no t= timestamp')
    if (signatures.length === 0) throw signatureRejected(header, 'it has no v1= signature')
    checkFresh(header, timestamp, nowMs)
    const expected = await hmac('sha256', secret, prefixed(`${timestamp}.`, raw))
    // Every candidate is compared, so the time taken does not say which one matched.
    let matched = false
    for (const candidate of signatures)
      matched = bytesEqual(hexBytes(candidate), expected) || matched
    if (!matched) throw signatureRejected(header, 'no v1 signature matches the body')
    return { mac: expected, signedAt: timestamp }
  },

  // api.slack.com/authentication/verifying-requests-from-slack: X-Slack-Signature = "v0=" + the
  // hex HMAC-SHA256 (hexdigest, lower case) of "v0:<X-Slack-Request-Timestamp>:<body>"; the
  // timestamp within five minutes.
  async slack(secret, headers, raw, nowMs) {
    const header = 'X-Slack-Signature'
    const timestamp = required(headers, 'X-Slack-Request-Timestamp')
    const text = required(headers, header)
    checkFresh('X-Slack-Request-Timestamp', timestamp, nowMs)
    const sent = lowerHex(header, text, 'v0=')
    const expected = await hmac('sha256', secret, prefixed(`v0:${timestamp}:`, raw))
    return { mac: await matching(header, sent, expected), signedAt: timestamp }
  },

  // shopify.dev/docs/apps/build/webhooks/verify-deliveries: X-Shopify-Hmac-SHA256 = the
  // base64-encoded HMAC-SHA256 of the raw body under the app's client secret. Base64 of 32 bytes
  // has one canonical form (44 characters, one '=' of padding): only that one is accepted.
  async shopify(secret, headers, raw) {
    const header = 'X-Shopify-Hmac-Sha256'
    const sent = required(headers, header)
    const expected = await hmac('sha256', secret, raw)
    const given = canonicalBase64(sent)
    if (!given) throw signatureRejected(header, 'it is not the standard base64 of a SHA-256 HMAC')
    return { mac: await matching(header, given, expected) }
  },

  // developers.notion.com/reference/webhooks ("Step 3 - Validating event payloads"):
  // X-Notion-Signature = "sha256=" + the hex HMAC-SHA256 of the raw body, keyed by the
  // subscription's verification_token. Notion signs no timestamp.
  async notion(secret, headers, raw) {
    const header = 'X-Notion-Signature'
    const sent = lowerHex(header, required(headers, header), 'sha256=')
    return { mac: await matching(header, sent, await hmac('sha256', secret, raw)) }
  },
}

/** The bytes of `text` when it is exactly the standard, padded base64 of them; else undefined. */
export function canonicalBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
    // atob ignores the unused low bits of the last character: re-encoding finds another spelling.
    return btoa(String.fromCharCode(...bytes)) === text ? bytes : undefined
  } catch {
    return undefined
  }
}
