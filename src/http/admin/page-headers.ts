import type { MiddlewareHandler } from 'hono'
import type { AdminEnv } from './admin-env'

// The pages show webhook URLs (a secret is part of each) and run payloads: nothing may cache
// them, frame them, or pass their address on; and the only scripts that run are the ones this
// response names by its nonce (no inline handlers, nothing injected through a payload).
const HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
}

export function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    // The live refresh reads the same page again.
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ')
}

export const pageHeaders: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  const nonce = btoa(String.fromCharCode(...bytes))
  c.set('nonce', nonce)
  for (const [name, value] of Object.entries(HEADERS)) c.header(name, value)
  c.header('Content-Security-Policy', contentSecurityPolicy(nonce))
  await next()
}
