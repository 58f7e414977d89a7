import { AutomateError } from '../errors'

/**
 * The request body, refused with 413 as soon as it passes `limit` bytes: a sender that gives no
 * Content-Length (or a false one) cannot make the Worker buffer more than that.
 */
export async function readLimited(request: Request, limit: number): Promise<ArrayBuffer> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limit) throw tooLarge(limit, declared)
  if (!request.body) return new ArrayBuffer(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body.buffer
}

function tooLarge(limit: number, size?: number) {
  const message =
    size === undefined
      ? `Request body is over the limit of ${limit} bytes`
      : `Request body is ${size} bytes; the limit is ${limit}`
  return new AutomateError('PAYLOAD_TOO_LARGE', message, {
    status: 413,
    details: size === undefined ? { path: '(body)', limit } : { path: '(body)', limit, size },
  })
}
