import { AutomateError } from '../errors'

/**
 * The most a code step's result may be, in characters of JSON: the same as any step's output
 * (the engine's MAX_OUTPUT_CHARS), checked here while the answer streams in, because a result
 * parsed first and refused after could hold the Worker's memory at 32 MiB per run.
 */
export const MAX_RESULT_CHARS = 8 * 1024 * 1024

/**
 * The sandbox's answer as text, counted as it is decoded: past `limit` characters the stream is
 * cancelled and the step fails with OUTPUT_TOO_LARGE naming the limit, so nothing larger is ever
 * buffered or parsed. The answer comes from the user's isolate: trust its size to nothing else.
 */
export async function readResult(
  body: ReadableStream<Uint8Array> | null,
  limit = MAX_RESULT_CHARS,
) {
  if (!body) return ''
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const parts: string[] = []
  let length = 0
  for (;;) {
    const { done, value } = await reader.read()
    const part = done ? decoder.decode() : decoder.decode(value, { stream: true })
    length += part.length
    if (length > limit) {
      await reader.cancel().catch(() => {})
      throw new AutomateError(
        'OUTPUT_TOO_LARGE',
        `The code's result is over ${limit} characters of JSON, the most a step may output`,
        { retryable: false, details: { limit } },
      )
    }
    parts.push(part)
    if (done) return parts.join('')
  }
}
