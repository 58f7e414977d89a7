/**
 * A request's or response's body, never more than `limit` bytes of it: a sender that gives no
 * Content-Length (or a false one) cannot make the Worker buffer more, since the bytes are counted
 * as they stream in. Past the limit the stream is cancelled and `tooLarge` makes the caller's own
 * error (a 413 for a request, a failed step for an API's answer); it gets the declared length
 * when that alone was over.
 */
export async function readCapped(
  message: Request | Response,
  limit: number,
  tooLarge: (declared?: number) => Error,
): Promise<Uint8Array> {
  const declared = Number(message.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) {
    await message.body?.cancel().catch(() => {})
    throw tooLarge(declared)
  }
  if (!message.body) return new Uint8Array(0)
  const reader = message.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    chunks.push(value)
  }
  const body = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}
