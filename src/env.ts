import type { RunMessage } from './store/run-model'

export type Env = {
  DB: D1Database
  RUNS: Queue<RunMessage>
  ADMIN_TOKEN?: string
  /** Encrypts stored credentials (AES-GCM); a secret, at least 32 random characters. */
  ENCRYPTION_KEY?: string
  SWEEP_AFTER_SECONDS?: string
  SWEEP_MAX_ATTEMPTS?: string
  /** A long workflow continues in a new queue message after this many steps. */
  ENGINE_STEPS_PER_MESSAGE?: string
  /** "true" records each accepted run in D1 before answering: for a queue that lives in memory. */
  INGEST_RECORD_FIRST?: string
  /** Finished runs, their steps and payloads are deleted this many days after they finish (0: never). */
  RETENTION_DAYS?: string
  /**
   * The public origin of this AutomateOS (https://automateos.example.com), for URLs the engine
   * hands out (a run's resume URL). Unset: the origin the run was started on.
   */
  PUBLIC_URL?: string
  /** How long an MCP workflow tool waits for its run before answering its id (ms; 25 000). */
  MCP_WAIT_MS?: string
}

export function numberVar(value: string | undefined, fallback: number) {
  const parsed = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : fallback
}
