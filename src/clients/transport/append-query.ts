/**
 * `url` with `query` appended to the query it already has, which is left byte for byte as it was:
 * `url.searchParams.set` would re-serialize the whole query (`%20` becomes `+`, `~` becomes `%7E`,
 * `a=1&a=2` loses one), and a pre-signed URL (S3, GCS, Azure SAS) signs those exact bytes.
 * A name given twice is sent twice, as written; a list repeats its name (tags=a&tags=b).
 */
export function appendQuery(url: URL, query: Record<string, unknown> | undefined): URL {
  const pairs: string[] = []
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue
      pairs.push(`${encodeQueryPart(name)}=${encodeQueryPart(String(item))}`)
    }
  }
  if (!pairs.length) return url
  const appended = new URL(url)
  const existing = url.search.slice(1)
  // Assigning `search` keeps escapes as they are: the parser only escapes what is not yet escaped.
  appended.search = existing ? `${existing}&${pairs.join('&')}` : pairs.join('&')
  return appended
}

/** RFC 3986 escaping: unreserved characters as they are, everything else as %XX of its UTF-8. */
export function encodeQueryPart(text: string) {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}
