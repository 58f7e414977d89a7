import { AutomateError } from '../errors'

/** The payload a webhook delivers: JSON as parsed, a form as an object, anything else as text. */
export async function parseWebhookBody(request: Request, raw: ArrayBuffer): Promise<unknown> {
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase()
  if (raw.byteLength === 0) return {}
  const text = () => new TextDecoder().decode(raw)

  if (contentType.includes('application/x-www-form-urlencoded')) {
    return fieldsToObject(new URLSearchParams(text()).entries())
  }
  if (contentType.includes('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData()
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
    try {
      return JSON.parse(body)
    } catch (error) {
      throw new AutomateError(
        'INVALID_JSON',
        `Request body is not valid JSON: ${(error as Error).message}`,
        {
          status: 400,
          details: [{ path: '(body)', message: (error as Error).message }],
        },
      )
    }
  }
  return body
}

/** Repeated fields (tags=a&tags=b) become arrays, as every form library does. */
function fieldsToObject(entries: Iterable<[string, unknown]>) {
  const result: Record<string, unknown> = {}
  for (const [key, value] of entries) {
    const existing = result[key]
    if (existing === undefined) result[key] = value
    else result[key] = Array.isArray(existing) ? [...existing, value] : [existing, value]
  }
  return result
}
