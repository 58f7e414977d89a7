import type { MiddlewareHandler } from 'hono'
import { NONCE, secureHeaders } from 'hono/secure-headers'

// Every response: HSTS for a year (browsers ignore it over plain http, so local use is not
// affected), no framing, no sniffing, no referrer, and a CSP that lets an API answer load
// nothing at all if a browser ever renders one.
const common = {
  strictTransportSecurity: 'max-age=31536000; includeSubDomains',
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
} as const

// overwrite: false keeps a header a handler chose on purpose (a sync webhook answer's sandbox CSP).
const apiHeaders = secureHeaders({
  ...common,
  overwrite: false,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
})

/**
 * The admin pages: no script runs unless it carries this response's nonce. A page reads it
 * with `c.get('secureHeadersNonce')` (Hono's NONCE) and puts it on its <script nonce>; inline
 * handlers (onclick=) and anything injected through a payload never run.
 */
const pageHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    scriptSrc: [NONCE],
    styleSrc: ["'unsafe-inline'"],
    imgSrc: ['data:'],
    // The live refresh reads the same page again.
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
  },
})

export const securityHeaders: MiddlewareHandler = (c, next) =>
  c.req.path === '/admin' || c.req.path.startsWith('/admin/')
    ? pageHeaders(c, next)
    : apiHeaders(c, next)
