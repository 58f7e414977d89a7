import {
  SELF,
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
} from 'cloudflare:test'
import worker from '../src/index'
import type { RunMessage } from '../src/store/run-model'
import type { Env } from '../src/env'

export const ADMIN_TOKEN = 'test-admin-token-of-at-least-32-characters'

export function admin(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${ADMIN_TOKEN}`)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  return SELF.fetch(`http://automateos.test${path}`, { ...init, headers, body })
}

export type PublicWorkflow = {
  id: string
  version: number
  webhookUrl: string
  [key: string]: unknown
}

export async function createWorkflow(definition: unknown): Promise<PublicWorkflow> {
  const response = await admin('/api/workflows', { method: 'POST', json: definition })
  if (response.status !== 201)
    throw new Error(`create failed: ${response.status} ${await response.text()}`)
  return response.json()
}

export function postWebhook(
  workflow: { webhookUrl: string },
  body: unknown,
  headers: Record<string, string> = {},
) {
  return SELF.fetch(workflow.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

export type RunView = {
  id: string
  status: string
  output: unknown
  error: { message: string; code?: string; step?: Record<string, unknown> } | null
  steps: {
    index: number
    nodeId: string
    nodeType: string
    nodeName: string | null
    status: string
    input: unknown
    output: unknown
    error: { message: string; code?: string; details?: unknown } | null
    attempts: number
    /** A step a resumed run copied: the run whose node ran. */
    reusedFrom?: string | null
  }[]
  [key: string]: unknown
}

export async function getRun(runId: string): Promise<RunView> {
  const response = await admin(`/api/runs/${runId}`)
  if (response.status !== 200)
    throw new Error(`run ${runId}: ${response.status} ${await response.text()}`)
  return response.json()
}

const FINISHED = new Set(['succeeded', 'failed', 'completed_with_errors'])

/** Polls until the queue has delivered and the Engine finished the run. */
export async function waitForRun(runId: string, timeoutMs = 15_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await admin(`/api/runs/${runId}`)
    if (response.status === 200) {
      const run = (await response.json()) as RunView
      if (FINISHED.has(run.status)) return run
    }
    if (Date.now() > deadline) throw new Error(`run ${runId} did not finish in ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Checks that a webhook or a manual start was accepted (202), and waits for its run to finish. */
export async function waitForAccepted(response: Response): Promise<RunView> {
  if (response.status !== 202)
    throw new Error(`not accepted: ${response.status} ${await response.text()}`)
  return waitForRun(((await response.json()) as { runId: string }).runId)
}

/** Posts a webhook and waits for the run it started to finish. */
export async function postAndWait(
  workflow: { webhookUrl: string },
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RunView> {
  return waitForAccepted(await postWebhook(workflow, body, headers))
}

export const RUNS_QUEUE = 'automateos-runs'
export const DEAD_LETTER_QUEUE = 'automateos-runs-dlq'

/**
 * Hands messages straight to the Worker's queue handler, as the Queues runtime would: to the runs
 * queue by default, or to another queue, as a later delivery (`attempts`), or with other bindings.
 * Bodies are `unknown` so a test can deliver a malformed message too.
 */
export async function deliver(
  messages: unknown[],
  options: { attempts?: number; queue?: string; env?: Env } = {},
) {
  const batch = createMessageBatch<RunMessage>(
    options.queue ?? RUNS_QUEUE,
    messages.map((body, i) => ({
      id: `msg-${crypto.randomUUID()}-${i}`,
      timestamp: new Date(),
      attempts: options.attempts ?? 1,
      body: body as RunMessage,
    })),
  )
  const ctx = createExecutionContext()
  await worker.queue(batch, options.env ?? (env as Env))
  return { ...(await getQueueResult(batch, ctx)), ids: batch.messages.map((m) => m.id) }
}

/** A fake upstream of its own for one test: program its answers, then read what it received. */
export function fakeUpstream(name = crypto.randomUUID().slice(0, 8)) {
  const base = `http://${name}.upstream.test`
  return {
    base,
    url: (path: string) => `${base}${path}`,
    async program(
      routes: {
        method?: string
        path: string
        responses: {
          status?: number
          headers?: Record<string, string>
          body?: unknown
          /** Answers these bytes (base64), for a binary answer. */
          bodyBase64?: string
          delayMs?: number
          /** Holds this answer until `release(gate)` is called (at most 30 s). */
          gate?: string
          /** Sends the headers at once and the body this much later. */
          bodyDelayMs?: number
        }[]
      }[],
    ) {
      await fetch(`${base}/__program`, { method: 'POST', body: JSON.stringify({ routes }) })
    },
    async release(gate: string) {
      await fetch(`${base}/__release`, { method: 'POST', body: JSON.stringify({ gate }) })
    },
    /** Resolves once the upstream has received `count` requests; fails past the deadline. */
    async waitForRequests(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const { requests } = (await (await fetch(`${base}/__requests`)).json()) as {
          requests: unknown[]
        }
        if (requests.length >= count) return
        if (Date.now() > deadline)
          throw new Error(`upstream ${base} got ${requests.length} of ${count} requests`)
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    },
    async received(): Promise<{
      requests: {
        method: string
        path: string
        query: Record<string, string>
        headers: Record<string, string>
        body: unknown
        /** The body as sent, before JSON.parse. */
        text: string
      }[]
      effects: { method: string; path: string; key: string | null; body: unknown }[]
    }> {
      return (await fetch(`${base}/__requests`)).json()
    },
  }
}
