import { AutomateError, type ErrorCode } from '../../errors'
import { bytesEqual, fromBase64, fromHex, hmac, prefixed } from '../../lib/hmac'
import type { SIGNATURE_PRESETS } from '../../workflow/trigger'

/** Stripe's and Slack's documented tolerance for the signed timestamp. */
export const TIMESTAMP_TOLERANCE_S = 300

type Check = (secret: string, headers: Headers, raw: ArrayBuffer, nowMs: number) => Promise<void>

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

/**
 * Each sender's scheme exactly as it documents it. Every check covers the raw body bytes and
 * compares in constant time.
 */
export const PRESETS: Record<(typeof SIGNATURE_PRESETS)[number], Check> = {
  // docs.github.com "Validating webhook deliveries": X-Hub-Signature-256 = "sha256=" + hex
  // HMAC-SHA256 of the body.
  async github(secret, headers, raw) {
    const header = 'X-Hub-Signature-256'
    const sent = required(headers, header)
    if (!sent.startsWith('sha256='))
      throw signatureRejected(header, "it does not start with 'sha256='")
    if (!bytesEqual(fromHex(sent.slice(7)), await hmac('sha256', secret, raw)))
      throw signatureRejected(header, 'the signature does not match the body')
  },

  // docs.stripe.com "Verify webhook signatures manually": Stripe-Signature "t=<unix>,v1=<hex>[,v1=…]
  // [,v0=…]"; signed payload "<t>.<body>", HMAC-SHA256; any v1 may match (several during a
  // secret roll); other schemes are ignored; the timestamp within the tolerance.
  async stripe(secret, headers, raw, nowMs) {
    const header = 'Stripe-Signature'
    const sent = required(headers, header)
    let timestamp: string | undefined
    const signatures: string[] = []
    for (const part of sent.split(',')) {
      const at = part.indexOf('=')
      const key = part.slice(0, at).trim()
      const value = part.slice(at + 1).trim()
      if (key === 't') timestamp = value
      else if (key === 'v1') signatures.push(value)
    }
    if (timestamp === undefined) throw signatureRejected(header, 'it has no t= timestamp')
    if (signatures.length === 0) throw signatureRejected(header, 'it has no v1= signature')
    checkFresh(header, timestamp, nowMs)
    const expected = await hmac('sha256', secret, prefixed(`${timestamp}.`, raw))
    // Every candidate is compared, so the time taken does not say which one matched.
    let matched = false
    for (const candidate of signatures)
      matched = bytesEqual(fromHex(candidate), expected) || matched
    if (!matched) throw signatureRejected(header, 'no v1 signature matches the body')
  },

  // api.slack.com "Verifying requests from Slack": X-Slack-Signature = "v0=" + hex HMAC-SHA256
  // of "v0:<X-Slack-Request-Timestamp>:<body>"; the timestamp within five minutes.
  async slack(secret, headers, raw, nowMs) {
    const header = 'X-Slack-Signature'
    const timestamp = required(headers, 'X-Slack-Request-Timestamp')
    const sent = required(headers, header)
    checkFresh('X-Slack-Request-Timestamp', timestamp, nowMs)
    if (!sent.startsWith('v0=')) throw signatureRejected(header, "it does not start with 'v0='")
    const expected = await hmac('sha256', secret, prefixed(`v0:${timestamp}:`, raw))
    if (!bytesEqual(fromHex(sent.slice(3)), expected))
      throw signatureRejected(header, 'the signature does not match the body')
  },

  // shopify.dev "Verify webhooks": X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the body with
  // the app's client secret.
  async shopify(secret, headers, raw) {
    const header = 'X-Shopify-Hmac-Sha256'
    const sent = required(headers, header)
    if (!bytesEqual(fromBase64(sent.trim()), await hmac('sha256', secret, raw)))
      throw signatureRejected(header, 'the signature does not match the body')
  },
}

/** The headers each preset's signature travels in: their value identifies one delivery. */
export const PRESET_HEADERS: Record<(typeof SIGNATURE_PRESETS)[number], string[]> = {
  github: ['X-Hub-Signature-256'],
  stripe: ['Stripe-Signature'],
  slack: ['X-Slack-Request-Timestamp', 'X-Slack-Signature'],
  shopify: ['X-Shopify-Hmac-Sha256'],
}
