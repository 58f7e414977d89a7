/**
 * Refuses a form posted from another site's page. Sec-Fetch-Site is set by the browser itself
 * and survives proxies that rewrite the Host, so it decides when present; Origin otherwise.
 * A client that sends neither (curl, a script) is not a browser and cannot be tricked into
 * posting, so it passes.
 */
export function isCrossSitePost(request: Request): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false
  const site = request.headers.get('sec-fetch-site')
  if (site) return site !== 'same-origin' && site !== 'none'
  const origin = request.headers.get('origin')
  return origin !== null && origin !== new URL(request.url).origin
}
