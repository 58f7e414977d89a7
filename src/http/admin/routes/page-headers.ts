import type { MiddlewareHandler } from 'hono'
import type { AdminEnv } from '../admin-env'

// The pages show webhook URLs (a secret is part of each) and run payloads: nothing may cache
// them, frame them, or pass their address on; and the only scripts that run are the ones this
// response names by its nonce (no inline handlers, nothing injected through a payload).
const HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}

/**
 * The nonce is the one Hono's secureHeaders (src/http/secure-headers.ts, run first for every
 * response) generated and named in this response's Content-Security-Policy.
 */
export const pageHeaders: MiddlewareHandler<AdminEnv> = async (c, next) => {
  c.set('nonce', (c.get as (key: string) => string | undefined)('secureHeadersNonce') ?? '')
  for (const [name, value] of Object.entries(HEADERS)) c.header(name, value)
  await next()
}
