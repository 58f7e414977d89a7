import { parseBody, readBytes } from './http'

/** A binary answer as a step records it: JSON cannot hold bytes, and UTF-8 would corrupt them. */
export type BinaryBody = { base64: string; contentType: string; size: number }

export type AnswerFormat = 'auto' | 'json' | 'text' | 'base64'

/**
 * An answer's body for http-request: with `auto`, text (parsed as JSON when it is JSON) for a
 * text content type, and `{ base64, contentType, size }` for any other (an image, a PDF, a zip,
 * application/octet-stream), or for an answer without a content type whose bytes are not UTF-8.
 * `json` and `text` read the body as text whatever it says; `base64` always gives the bytes.
 */
export async function readAnswer(
  response: Response,
  options: { limit?: number; as?: AnswerFormat } = {},
): Promise<unknown> {
  const as = options.as ?? 'auto'
  const bytes = await readBytes(response, options.limit)
  const type = response.headers.get('content-type') ?? ''
  if (as === 'base64') return binary(bytes, type)
  if (as !== 'auto') return parseBody(new TextDecoder().decode(bytes), response, as)
  if (type ? isTextType(type) : bytes.length === 0) {
    return parseBody(new TextDecoder().decode(bytes), response, as)
  }
  if (!type) {
    const text = utf8(bytes)
    if (text !== undefined) return parseBody(text, response, as)
  }
  return binary(bytes, type || 'application/octet-stream')
}

/**
 * Whether a content type is text: text/*, JSON and XML of any kind (`+json`, `+xml`), a few
 * application/* types that are text by definition, and any type that names a charset.
 */
export function isTextType(contentType: string): boolean {
  const type = contentType.toLowerCase()
  const essence = type.split(';')[0]!.trim()
  return (
    essence.startsWith('text/') ||
    /[/+](json|xml)$/.test(essence) ||
    /json|xml/.test(essence.split('/')[1] ?? '') ||
    TEXT_APPLICATION_TYPES.has(essence) ||
    /;\s*charset=/.test(type)
  )
}

const TEXT_APPLICATION_TYPES = new Set([
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/sql',
  'application/csv',
  'application/x-ndjson',
])

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
function utf8(bytes: Uint8Array) {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    return undefined
  }
}

function binary(bytes: Uint8Array, contentType: string): BinaryBody {
  return { base64: toBase64(bytes), contentType, size: bytes.length }
}

export function toBase64(bytes: Uint8Array) {
  let text = ''
  // In slices: String.fromCharCode with millions of arguments overflows the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(text)
}
