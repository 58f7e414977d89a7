/**
 * The headers a `respond` step may set on a sync webhook's answer (README "Respond to the
 * caller"). An allow-list, not a deny-list: the answer is served on the admin page's origin, so
 * a header nobody listed (Access-Control-Allow-Origin, Clear-Site-Data, X-Frame-Options,
 * Content-Security-Policy, Set-Cookie, Strict-Transport-Security…) could undo what the platform
 * sets to protect it (issue 20).
 */
export const RESPONSE_HEADERS = [
  'content-type',
  'content-language',
  'content-disposition',
  'cache-control',
  'expires',
  'etag',
  'last-modified',
  'vary',
  'location',
  'retry-after',
] as const

/** X- headers that are the platform's own (security headers, the run id), not the workflow's. */
const OWN_X_HEADERS = new Set([
  'x-frame-options',
  'x-content-type-options',
  'x-xss-protection',
  'x-permitted-cross-domain-policies',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-run-id',
])

const ALLOWED = new Set<string>(RESPONSE_HEADERS)

/** Whether a respond step may set this header: one of RESPONSE_HEADERS, or an X- header of its own. */
export function isResponseHeaderAllowed(name: string) {
  const lower = name.toLowerCase()
  if (ALLOWED.has(lower)) return true
  return /^x-[a-z0-9-]+$/.test(lower) && !OWN_X_HEADERS.has(lower)
}

export const RESPONSE_HEADERS_RULE =
  `${RESPONSE_HEADERS.join(', ')}, and X- headers of your own ` +
  `(not ${[...OWN_X_HEADERS].join(', ')})`
