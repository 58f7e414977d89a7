import { AutomateError } from '../../errors'
import { parseRequestJson } from '../json-depth'

/** The payload a webhook delivers: JSON as parsed, a form as an object, anything else as text. */
export async function parseWebhookBody(request: Request, raw: ArrayBuffer): Promise<unknown> {
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase()
  if (raw.byteLength === 0) return {}
  const text = () => new TextDecoder().decode(raw)

  if (contentType.includes('application/x-www-form-urlencoded')) {
    return fieldsToObject(new URLSearchParams(text()).entries())
  }
  if (contentType.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } })
      .formData()
      .catch((error: unknown) => {
        // A missing boundary or a body that is not multipart: the sender's mistake, not a 500.
        throw new AutomateError(
          'INVALID_FORM',
          `Request body is not valid multipart/form-data: ${(error as Error).message}`,
          { status: 400, details: [{ path: '(body)', message: 'not valid multipart/form-data' }] },
        )
      })
    const entries: [string, unknown][] = []
    for (const [key, value] of form as unknown as Iterable<[string, string | File]>) {
      entries.push([
        key,
        typeof value === 'string'
          ? value
          : { filename: value.name, type: value.type, size: value.size },
      ])
    }
    return fieldsToObject(entries)
  }
  const body = text()
  if (contentType.includes('json') || (contentType === '' && /^\s*[[{]/.test(body))) {
    return parseRequestJson(body)
  }
  return body
}

/**
 * Repeated fields (tags=a&tags=b) become arrays, as every form library does. The object has no
 * prototype, so `__proto__` or `constructor` is a field like any other, and a repeat appends in
 * place: a 1 MiB `a&a&a…` body costs one pass, not one copy of the array per field.
 */
export function fieldsToObject(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const result: Record<string, unknown> = Object.create(null)
  // Field values are strings or file descriptions, never arrays: the arrays are ours.
  for (const [key, value] of entries) {
    const existing = result[key]
    if (existing === undefined) result[key] = value
    else if (Array.isArray(existing)) existing.push(value)
    else result[key] = [existing, value]
  }
  return result
}
