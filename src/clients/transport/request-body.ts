import { AutomateError } from '../../errors'

export type BodyFormat = 'json' | 'form' | 'multipart'

/**
 * A request body as sent: a string with its content type, or FormData, whose content type (with
 * its boundary) fetch writes itself, so `contentType` is then undefined.
 */
export type EncodedBody = { body: string | FormData; contentType?: string }

/**
 * A file part of a multipart body, as a config or a previous step gives it: the bytes as base64
 * (what http-request returns for a binary answer), with an optional file name and content type.
 */
type FilePart = { base64: string; filename?: string; contentType?: string }

/**
 * The body a request sends for `payload`: a string as it is (text/plain), else JSON, a form
 * (application/x-www-form-urlencoded) or multipart/form-data, by `format`.
 */
export function encodeBody(payload: unknown, format: BodyFormat): EncodedBody {
  if (typeof payload === 'string' && format !== 'multipart')
    return { body: payload, contentType: 'text/plain; charset=utf-8' }
  if (format === 'json') return { body: JSON.stringify(payload), contentType: 'application/json' }
  const fields = objectFields(payload, format)
  if (format === 'multipart') return { body: multipart(fields) }
  const form = new URLSearchParams()
  for (const [name, value] of fields) {
    form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
  }
  return { body: form.toString(), contentType: 'application/x-www-form-urlencoded;charset=UTF-8' }
}

/** An object's fields as name/value pairs: a list repeats its name, null and undefined are left out. */
function objectFields(payload: unknown, format: BodyFormat): [string, unknown][] {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new AutomateError('CONFIG_INVALID', `A ${format} body must be an object of fields`, {
      retryable: false,
      details: [{ path: 'config.body', message: `must be an object for bodyFormat ${format}` }],
    })
  }
  const fields: [string, unknown][] = []
  for (const [name, value] of Object.entries(payload)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) fields.push([name, item])
    }
  }
  return fields
}

function multipart(fields: [string, unknown][]) {
  const form = new FormData()
  for (const [name, value] of fields) {
    if (isFilePart(value)) {
      const bytes = decodeBase64(value.base64, name)
      const type = value.contentType ?? 'application/octet-stream'
      form.append(name, new Blob([bytes], { type }), value.filename ?? name)
    } else {
      // An object that is not a file part goes as JSON text, as in a form.
      form.append(name, typeof value === 'object' ? JSON.stringify(value) : String(value))
    }
  }
  return form
}

function isFilePart(value: unknown): value is FilePart {
  if (typeof value !== 'object' || value === null) return false
  const part = value as Record<string, unknown>
  return (
    typeof part.base64 === 'string' &&
    (part.filename === undefined || typeof part.filename === 'string') &&
    (part.contentType === undefined || typeof part.contentType === 'string')
  )
}

function decodeBase64(text: string, field: string): Uint8Array {
  let binary: string
  try {
    binary = atob(text.replace(/\s+/g, ''))
  } catch (error) {
    throw new AutomateError('CONFIG_INVALID', `File part ${field} is not valid base64`, {
      retryable: false,
      cause: error,
      details: [{ path: `config.body.${field}.base64`, message: 'must be base64' }],
    })
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}
