import { AutomateError } from '../errors'
import { readCapped } from '../lib/read-capped'

/**
 * The request body, refused with 413 as soon as it passes `limit` bytes: a sender that gives no
 * Content-Length (or a false one) cannot make the Worker buffer more than that.
 */
export async function readLimited(request: Request, limit: number): Promise<ArrayBuffer> {
  const body = await readCapped(request, limit, (declared) => tooLarge(limit, declared))
  return body.buffer as ArrayBuffer
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
