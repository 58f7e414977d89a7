import { readCredential } from '../../credentials/read-credential'
import type { Env } from '../../env'
import { AutomateError } from '../../errors'
import { rememberSecret } from '../../redact/known-secrets'
import { logEvent } from '../../lib/log-event'
import { bytesEqual, fromHex, hmac } from '../../lib/hmac'
import { isReservedSecret, type SignatureRule } from '../../workflow/trigger'
import { PRESETS, canonicalBase64, signatureRejected, type Verified } from './signature-presets'

/**
 * Checks a webhook's signature over the raw body: a sender's preset (GitHub, Stripe, Slack,
 * Shopify, Notion) or the generic HMAC rule. Returns the delivery's replay key (see deliveryKey
 * in hooks.ts), made from what the signature proves: the MAC bytes and the signed timestamp.
 * Never the header text: hex in upper case, base64 without padding or a Stripe header with its
 * elements reordered would otherwise be a new key for the same captured delivery (issue 20).
 */
export async function verifySignature(
  rule: SignatureRule,
  env: Env,
  headers: Headers,
  raw: ArrayBuffer,
  now = Date.now(),
): Promise<string> {
  const secret = await signingSecret(rule.secret, env)
  if ('preset' in rule) {
    return replayKey(rule.preset, await PRESETS[rule.preset](secret, headers, raw, now))
  }
  const sent = headers.get(rule.header)
  if (!sent) throw signatureRejected(rule.header, `the ${rule.header} header is missing`)
  if (!sent.startsWith(rule.prefix))
    throw signatureRejected(rule.header, `the signature does not start with '${rule.prefix}'`)
  // The sender is not known here, so hex may be in either case; base64 only in its standard,
  // padded form. Either way the key is the bytes, so no spelling replays a delivery.
  const text = sent.slice(rule.prefix.length)
  const given = rule.encoding === 'hex' ? fromHex(text) : canonicalBase64(text)
  const expected = await hmac(rule.algorithm, secret, raw)
  if (!bytesEqual(given, expected))
    throw signatureRejected(rule.header, 'the signature does not match the body')
  return replayKey(`hmac:${rule.algorithm}`, { mac: expected })
}

/**
 * The key: a Worker secret of that name, else a stored webhook-secret credential, so a user can
 * add one without redeploying. The sender is told only that it is missing, never its name.
 */
async function signingSecret(name: string, env: Env): Promise<string> {
  const missing = (cause?: unknown) => {
    logEvent('error', 'signature_secret_missing', { binding: name })
    return new AutomateError(
      'SIGNATURE_SECRET_MISSING',
      'The workflow checks webhook signatures with a secret that is not set',
      { status: 500, cause },
    )
  }
  // Checked at save too; here as well for definitions stored before that check existed.
  if (isReservedSecret(name)) throw missing()
  const value = (env as unknown as Record<string, unknown>)[name]
  if (typeof value === 'string' && value !== '') {
    rememberSecret(value)
    return value
  }
  try {
    return (await readCredential(env, name, 'webhook-secret')).data.secret
  } catch (error) {
    throw missing(error)
  }
}

async function replayKey(scheme: string, verified: Verified) {
  const mac = [...verified.mac].map((b) => b.toString(16).padStart(2, '0')).join('')
  const text = `${scheme}\n${verified.signedAt ?? ''}\n${mac}`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `signature:${hex}`
}
