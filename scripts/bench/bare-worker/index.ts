type Env = { RUNS: Queue<BareMessage>; BENCH_ID: string; SINK_URL?: string }
type BareMessage = { v: 1; runId: string; body: string }

/**
 * The least a webhook → queue → HTTP pipeline can do: read the body, enqueue it, answer 202; the
 * consumer POSTs each body to SINK_URL (when set) with its run id as the Idempotency-Key, as
 * AutomateOS's http-request step does. No D1, no step log: the baseline AutomateOS is held to.
 */
export default {
  async fetch(request: Request, env: Env) {
    // GET answers the bench's id, so the bench knows this server is the one it started.
    if (request.method !== 'POST') return new Response(env.BENCH_ID)
    const body = await request.text()
    const runId = crypto.randomUUID()
    await env.RUNS.send({ v: 1, runId, body })
    return Response.json({ runId }, { status: 202 })
  },

  async queue(batch: MessageBatch<BareMessage>, env: Env) {
    if (!env.SINK_URL) return batch.ackAll()
    const sink = env.SINK_URL
    await Promise.all(
      batch.messages.map(async (message) => {
        const response = await fetch(sink, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': message.body.runId },
          body: message.body.body,
        }).catch(() => null)
        await response?.body?.cancel()
        if (response?.ok) message.ack()
        else message.retry()
      }),
    )
  },
} satisfies ExportedHandler<Env, BareMessage>
