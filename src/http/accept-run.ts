import { z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { Env } from '../env'
import { startRun, type RunRequest } from '../engine/start-run'
import type { TriggerInfo } from '../store/run-model'
import type { StoredWorkflow } from '../store/workflows'
import { originOf } from './origin'

export type Accepted = { runId: string; statusUrl: string; duplicate: boolean }

/** How a run started from another one (a replay, a resume) differs from a delivery. */
export type AcceptOptions = Pick<RunRequest, 'origin' | 'rows' | 'gate'> & {
  /** When the run is created: now, not when the trigger it copies was received. */
  createdAt?: number
}

export const acceptedSchema = z
  .object({
    runId: z.string(),
    statusUrl: z.url().meta({ description: 'GET it (admin auth) for the run and its steps' }),
    duplicate: z
      .literal(true)
      .optional()
      .meta({ description: 'a repeated delivery: the first run' }),
  })
  .meta({ id: 'AcceptedRun' })

/** Starts the run (startRun) and says where its status is: the HTTP face of a new run. */
export async function acceptRun(
  c: Context<{ Bindings: Env }>,
  workflow: Pick<StoredWorkflow, 'id' | 'version'>,
  payload: unknown,
  trigger: TriggerInfo,
  options: AcceptOptions = {},
): Promise<Accepted> {
  const env = {
    DB: c.env.DB,
    RUNS: c.env.RUNS,
    recordFirst: c.env.INGEST_RECORD_FIRST === 'true',
    waitUntil: (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise),
  }
  const { createdAt, ...copy } = options
  const started = await startRun(env, {
    workflow,
    payload,
    trigger,
    createdAt: createdAt ?? trigger.receivedAt,
    ...copy,
  })
  const statusUrl = `${originOf(c)}/api/runs/${started.runId}`
  return { ...started, statusUrl }
}

export function acceptedResponse(c: Context, accepted: Accepted) {
  c.header('Location', accepted.statusUrl)
  const body = { runId: accepted.runId, statusUrl: accepted.statusUrl }
  return accepted.duplicate ? c.json({ ...body, duplicate: true }, 200) : c.json(body, 202)
}
