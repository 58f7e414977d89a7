/** The cookie that binds a Connect to the browser that started it (10 minutes, this path only). */
export const BROWSER_COOKIE = 'automateos_oauth'
export const CALLBACK_PATH = '/oauth/callback'

/**
 * The redirect URI to register at the provider: PUBLIC_URL's when set (the address people use),
 * else this request's origin. A warning when the page is seen on another host than that URI's,
 * between a custom domain and workers.dev: the provider would send the browser back to the other
 * host, where the cookie of this Connect is not, and the callback would be refused.
 */
export function redirectUriFor(env: { PUBLIC_URL?: string }, requestUrl: string) {
  const here = new URL(requestUrl).origin
  let origin = here
  if (env.PUBLIC_URL) {
    try {
      origin = new URL(env.PUBLIC_URL).origin
    } catch {
      // A malformed PUBLIC_URL is reported by the page below as a mismatch with this host.
    }
  }
  const uri = `${origin}${CALLBACK_PATH}`
  let warning: string | undefined
  if (origin !== here) {
    warning =
      `This page is open at ${here}, but the redirect URI uses ${origin} (PUBLIC_URL). ` +
      `Connect from ${origin}/admin/credentials, or the provider sends you back to a host ` +
      'that does not know this browser and the sign-in is refused.'
  } else if (new URL(here).hostname.endsWith('.workers.dev')) {
    warning =
      'This is the workers.dev address. If you add a custom domain, set PUBLIC_URL to it and ' +
      'register that redirect URI instead (or both).'
  }
  return { uri, ...(warning ? { warning } : {}) }
}
