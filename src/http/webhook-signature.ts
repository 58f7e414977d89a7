import type { Env } from '../env'
import { AutomateError } from '../errors'
import type { SignatureRule } from '../workflow/trigger'

const HASHES = { sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' } as const

/**
 * Checks the HMAC a sender computed over the raw body (GitHub's X-Hub-Signature-256, Shopify's
 * X-Shopify-Hmac-Sha256, and most others). The secret is a Worker secret named by the trigger,
 * so it never sits in the workflow definition or an API response.
 */
export async function verifySignature(
  rule: SignatureRule,
  env: Env,
  headers: Headers,
  raw: ArrayBuffer,
) {
  const secret = (env as unknown as Record<string, unknown>)[rule.secret]
  if (typeof secret !== 'string' || secret === '') {
    throw new AutomateError(
      'SIGNATURE_SECRET_MISSING',
      `The workflow checks webhook signatures with the Worker secret ${rule.secret}, which is not set`,
      { status: 500 },
    )
  }
  const sent = headers.get(rule.header)
  const invalid = (reason: string) =>
    new AutomateError('SIGNATURE_INVALID', `Webhook signature rejected: ${reason}`, {
      status: 401,
      details: [{ path: `headers.${rule.header.toLowerCase()}`, message: reason }],
    })
  if (!sent) throw invalid(`the ${rule.header} header is missing`)
  if (!sent.startsWith(rule.prefix))
    throw invalid(`the signature does not start with '${rule.prefix}'`)

  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: HASHES[rule.algorithm] },
    false,
    ['sign'],
  )
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', key, raw))
  const given = decode(sent.slice(rule.prefix.length).trim(), rule.encoding)
  if (
    !given ||
    given.length !== expected.length ||
    !crypto.subtle.timingSafeEqual(given, expected)
  ) {
    throw invalid('the signature does not match the body')
  }
}

function decode(text: string, encoding: 'hex' | 'base64'): Uint8Array | undefined {
  try {
    if (encoding === 'hex') {
      if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return undefined
      return Uint8Array.from(text.match(/../g)!.map((byte) => parseInt(byte, 16)))
    }
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
  } catch {
    return undefined
  }
}
