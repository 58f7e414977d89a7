import { describe, expect, it } from 'vitest'
import { AutomateError } from '../errors'
import { readLimited } from './read-limited'

function streamed(chunks: number, chunkSize: number) {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ >= chunks) return controller.close()
      controller.enqueue(new Uint8Array(chunkSize).fill(120))
    },
  })
  return { request: new Request('http://x/', { method: 'POST', body }), pulled: () => sent }
}

describe('readLimited', () => {
  it('reads a body within the limit, whole', async () => {
    const { request } = streamed(4, 1000)
    expect((await readLimited(request, 4000)).byteLength).toBe(4000)
  })

  it('stops reading a body without Content-Length as soon as it passes the limit', async () => {
    const { request, pulled } = streamed(1000, 1000)
    const error = await readLimited(request, 10_000).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AutomateError)
    expect(error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      details: { limit: 10_000 },
    })
    expect(pulled()).toBeLessThan(20)
  })

  it('refuses a declared Content-Length over the limit without reading', async () => {
    const request = new Request('http://x/', {
      method: 'POST',
      headers: { 'content-length': '5000' },
      body: 'x'.repeat(5000),
    })
    await expect(readLimited(request, 100)).rejects.toMatchObject({
      details: { limit: 100, size: 5000 },
    })
  })
})
