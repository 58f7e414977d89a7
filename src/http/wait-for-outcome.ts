import { answeringTypes } from '../nodes/registry'
import { readRunOutcome, type RunOutcome } from '../store/run-outcome'

const FIRST_POLL_MS = 50
const MAX_POLL_MS = 500

/** The node types whose step sets the answer (respond). */
const ANSWERING = answeringTypes()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits up to `waitMs` for a run someone is holding a request open for (a sync webhook, an MCP
 * tool call): its answer (respond) or its end, or undefined when it takes longer. The run itself
 * is on the queue like any other: this only reads D1, polling from 50 ms up to every 500 ms.
 */
export async function waitForOutcome(
  db: D1Database,
  runId: string,
  waitMs: number,
): Promise<RunOutcome | undefined> {
  const deadline = Date.now() + waitMs
  let pause = FIRST_POLL_MS
  for (;;) {
    const outcome = await readRunOutcome(db, runId, ANSWERING)
    if (outcome) return outcome
    const left = deadline - Date.now()
    if (left <= 0) return undefined
    await sleep(Math.min(pause, left))
    pause = Math.min(MAX_POLL_MS, pause * 2)
  }
}
