type Env = { RUNS: Queue<unknown>; BENCH_ID: string }

/** The least a webhook endpoint on Queues can do: read the body, enqueue it, answer 202. */
export default {
  async fetch(request: Request, env: Env) {
    // GET answers the bench's id, so the bench knows this server is the one it started.
    if (request.method !== 'POST') return new Response(env.BENCH_ID)
    const body = await request.text()
    const runId = crypto.randomUUID()
    await env.RUNS.send({ v: 1, runId, body })
    return Response.json({ runId }, { status: 202 })
  },

  async queue(batch: MessageBatch<unknown>) {
    batch.ackAll()
  },
} satisfies ExportedHandler<Env>
