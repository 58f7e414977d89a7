import { env } from 'cloudflare:test'
import { z } from 'zod'
import type { RunMessage } from '../src/store/run-model'
import type { RunsQueue } from '../src/engine/messages'
import { defineNode, type NodeDefinition } from '../src/nodes/define-node'
import { uuidv7Floor } from '../src/lib/uuidv7-time'
import { findNode } from '../src/nodes/registry'
import { createWorkflow } from '../src/store/workflows'
import { workflowSchema } from '../src/workflow/definition'

/** A queue that keeps what the Engine sends instead of delivering it: a lost message, on demand. */
export function holdingQueue() {
  const sent: { body: RunMessage; delaySeconds?: number }[] = []
  const queue: RunsQueue = {
    async send(body, options) {
      sent.push({ body, delaySeconds: options?.delaySeconds })
    },
    async sendBatch(messages) {
      for (const m of messages) sent.push({ body: m.body, delaySeconds: m.delaySeconds })
    },
  }
  return { queue, sent }
}

/**
 * Stores a definition as version 1 the way the API does: checked and given its defaults by the
 * same schema, then saved by the same store function. Returns the workflow id.
 */
export async function storeWorkflow(definition: Record<string, unknown>) {
  const parsed = workflowSchema.safeParse({ name: 'test', ...definition })
  if (!parsed.success) throw new Error(`invalid test workflow: ${parsed.error.message}`)
  return (await createWorkflow(env.DB, parsed.data)).id
}

/**
 * Stores a definition today's schema would refuse, as an older version may hold it: a node type
 * only tests register, or one that has left the registry since the workflow was saved. The
 * engine must still handle it; nothing else should use this.
 */
export async function storeUncheckedWorkflow(definition: Record<string, unknown>) {
  const id = `wf_test_${crypto.randomUUID().slice(0, 8)}`
  const now = Date.now()
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO workflows (id, name, enabled, hook_token, version, created_at, updated_at)
       VALUES (?, ?, 1, 'token', 1, ?, ?)`,
    ).bind(id, definition.name ?? 'test', now, now),
    env.DB.prepare(
      'INSERT INTO workflow_versions (workflow_id, version, definition, created_at) VALUES (?, 1, ?, ?)',
    ).bind(id, JSON.stringify({ onError: 'stop', ...definition }), now),
  ])
  return id
}

export function startMessage(workflowId: string, input: unknown, version = 1): RunMessage {
  const now = Date.now()
  return {
    v: 1,
    runId: crypto.randomUUID(),
    start: {
      workflowId,
      workflowVersion: version,
      trigger: { type: 'manual', receivedAt: now },
      input: JSON.stringify(input),
      createdAt: now,
    },
  }
}

/** Test-only nodes, looked up before the real registry. */
const fixtureNodes: Record<string, NodeDefinition> = {
  'throw-value': defineNode({
    type: 'throw-value',
    title: 'Throw a value',
    description: 'Throws its config value, which is not an Error.',
    config: z.object({ value: z.unknown() }),
    sample: { config: { value: 'boom' }, input: null },
    run(_input, { config }) {
      throw config.value
    },
  }),
}

export const withFixtureNodes = (type: string) => fixtureNodes[type] ?? findNode(type)

export const BIG_BUDGET = { steps: 1000, wallMs: 600_000 }

/** A runs row as some earlier moment left it (ingest, a consumer, a finished run). */
export async function seedRun(
  message: RunMessage,
  row: {
    status: 'queued' | 'running' | 'succeeded'
    at?: number
    sweeps?: number
    leaseId?: string | null
    leaseUntil?: number | null
    finishedAt?: number | null
  },
) {
  const at = row.at ?? Date.now()
  await env.DB.prepare(
    `INSERT INTO runs (id, workflow_id, workflow_version, status, trigger, input, created_at, wake_at,
       sweeps, lease_id, lease_until, finished_at)
     VALUES (?1, ?2, ?3, ?4, '{}', ?5, ?6, ?6, ?7, ?8, ?9, ?10)`,
  )
    .bind(
      message.runId,
      message.start!.workflowId,
      message.start!.workflowVersion,
      row.status,
      message.start!.input,
      at,
      row.sweeps ?? 0,
      row.leaseId ?? null,
      row.leaseUntil ?? null,
      row.finishedAt ?? null,
    )
    .run()
}

/** A UUIDv7 made at `ms`, for rows dated in the past: ids.ts's own generator never goes back. */
export function idAt(ms: number) {
  const hex = [...crypto.getRandomValues(new Uint8Array(9))]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
  return `${uuidv7Floor(ms)}-7${hex.slice(0, 3)}-8${hex.slice(3, 6)}-${hex.slice(6, 18)}`
}
