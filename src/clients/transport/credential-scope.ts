import { AutomateError } from '../../errors'

/**
 * Whether `url` lies under a credential's `base`: the same origin, and the base path or below it.
 * The URL parser has already resolved `..` and `%2e%2e`; a segment that a server could still
 * decode into one (`..%2f`, `%2e%2e%5c`) counts as leaving, since such a server would climb out.
 */
export function withinBase(url: URL, base: URL): boolean {
  if (url.origin !== base.origin) return false
  const basePath = base.pathname.replace(/\/+$/, '')
  if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return false
  return !url.pathname.split('/').some(hidesDotSegment)
}

function hidesDotSegment(segment: string) {
  // By hand, not decodeURIComponent: a malformed escape elsewhere must not hide a good one.
  const decoded = segment.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  )
  return decoded.split(/[/\\]/).some((part) => part === '.' || part === '..')
}

/** The base as a message may name it: its origin and path, which are listed in the clear. */
export function baseName(base: URL) {
  return base.origin + base.pathname.replace(/\/+$/, '')
}

/**
 * `url` when it lies under `base`, else CREDENTIAL_ORIGIN: the one check before any credential
 * leaves, for app clients and http-request alike. `who` names the credential or the app; the
 * refused URL is named by its origin only (a path may hold a token).
 */
export function checkWithinBase(url: URL, base: URL, who: string): URL {
  if (withinBase(url, base)) return url
  const where = url.origin === base.origin ? `a path outside ${baseName(base)}` : `${url.origin}`
  throw new AutomateError(
    'CREDENTIAL_ORIGIN',
    `${who} is only sent under ${baseName(base)}; it is not sent to ${where}`,
    {
      retryable: false,
      details: [{ path: 'config.url', message: `must be under ${baseName(base)}` }],
    },
  )
}
