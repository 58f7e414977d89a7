import type { ErrorInfo } from '../errors'
import { decodePayload, encodeText } from '../store/payloads'
import { DEFAULT_NODE_TIMEOUT_MS, type WorkflowNode } from '../workflow/definition'
import { LEASE_MS, claimRun, type ClaimedRun } from './claim'
import type { RunMessage } from './messages'
import { finishRun, insertStep, releaseRun, renewLease, skipSteps } from './record'
import { endOfList, judgeStep, stepRef } from './step-verdict'
import { getNode } from '../nodes/registry'
import { runNode, type NodeLookup } from './run-node'
import type { CredentialReader } from '../credentials/node-credential'

export type Budget = {
  /** Steps one message may run before the run continues in a new message. */
  steps: number
  /** Wall time one message may take before the same. */
  wallMs: number
}

export type Outcome = { action: 'ack' } | { action: 'retry'; delaySeconds: number }

/** The part of the runs queue the Engine and the sweeper use. */
export type RunsQueue = {
  send(message: RunMessage, options?: QueueSendOptions): Promise<unknown>
  sendBatch(messages: Iterable<MessageSendRequest<RunMessage>>): Promise<unknown>
}

/** What the Engine works with; `nodes` defaults to the generated registry. */
export type EngineDeps = {
  db: D1Database
  queue: RunsQueue
  nodes?: NodeLookup
  credentials?: CredentialReader
}

const ACK: Outcome = { action: 'ack' }
/** Room left in the lease after a node's timeout, for recording its step. */
const LEASE_MARGIN_MS = 10_000
const MAX_QUEUE_DELAY_S = 12 * 3600

/**
 * The Engine for one queue message: claim the run, resume after its last recorded step, run
 * each node through the registry, and record each step before the next starts. Node failures
 * become steps; only infrastructure errors (D1, the queue) throw, so the message is retried.
 */
export async function runWorkflow(
  deps: EngineDeps,
  message: RunMessage,
  budget: Budget,
): Promise<Outcome> {
  const { db } = deps
  const startedAt = Date.now()
  const claim = await claimRun(db, message, crypto.randomUUID(), startedAt)
  if (claim.kind === 'finished' || claim.kind === 'missing') return ACK
  if (claim.kind === 'leased') {
    // Another consumer is on it; look again when its lease ends, in case it died.
    return {
      action: 'retry',
      delaySeconds: Math.max(1, Math.ceil((claim.until - startedAt) / 1000)),
    }
  }
  if (claim.kind === 'definition-missing') {
    const error = {
      message: `Workflow ${claim.workflowId} version ${claim.workflowVersion} was not found`,
      code: 'WORKFLOW_VERSION_MISSING',
    }
    const lease = { runId: message.runId, leaseId: claim.leaseId }
    await finishRun(db, lease, { status: 'failed', error }, null, Date.now()).run()
    return ACK
  }
  return runClaimed(deps, claim, budget, startedAt)
}

async function runClaimed(deps: EngineDeps, run: ClaimedRun, budget: Budget, startedAt: number) {
  const { db, queue } = deps
  const lookup = deps.nodes ?? getNode
  const { definition } = run
  const nodes = definition.nodes
  const first = run.stepStatuses.length
  let failures = run.stepStatuses.filter((s) => s === 'failed').length
  // The input of the next node is the last succeeded node's output (a failed node is passed
  // over), kept as its column text so a large payload's blob is referenced, not copied.
  let currentText = run.lastOutputText ?? run.inputText ?? 'null'
  let current = await decodePayload(db, currentText)
  let leaseUntil = run.leaseUntil

  if (first >= nodes.length) {
    // Every step is recorded but the run was not closed: close it as the last step would have.
    await finishRun(db, run, endOfList(failures), currentText, Date.now()).run()
    return ACK
  }

  for (let index = first; index < nodes.length; index++) {
    const node = nodes[index]!
    const timeoutMs = node.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS
    const done = index - first
    if (done >= budget.steps || Date.now() - startedAt > budget.wallMs) {
      return continueLater(db, queue, run, Date.now(), 0, null)
    }
    if (Date.now() + timeoutMs + LEASE_MARGIN_MS > leaseUntil) {
      if (done > 0) return continueLater(db, queue, run, Date.now(), 0, null)
      leaseUntil = Date.now() + Math.max(LEASE_MS, timeoutMs + 2 * LEASE_MARGIN_MS)
      await renewLease(db, run.runId, run.leaseId, leaseUntil).run()
    }

    const stepStartedAt = Date.now()
    const outcome = await runNode({
      lookup,
      node,
      index,
      input: current,
      runId: run.runId,
      workflowId: run.workflowId,
      attemptsSoFar: run.pendingRetry?.index === index ? run.pendingRetry.attempts : 0,
      mustFinishBy: leaseUntil - LEASE_MARGIN_MS,
      credentials: deps.credentials,
    })
    const finishedAt = Date.now()
    if (outcome.kind === 'retry-later') {
      const pending = { index, attempts: outcome.attempts, error: outcome.error }
      return continueLater(db, queue, run, finishedAt + outcome.delayMs, outcome.delayMs, pending)
    }

    const verdict = judgeStep(definition, index, outcome, failures)
    failures = verdict.failures
    const inputText = currentText
    const blobs: D1PreparedStatement[] = []
    if (outcome.kind === 'succeeded') {
      const encoded = encodeText(db, outcome.outputText)
      blobs.push(...encoded.statements)
      currentText = encoded.text
      current = outcome.output
    } else {
      logFailure(run, node, index, verdict.error!)
    }
    const step = insertStep(db, run.runId, run.leaseId, {
      index,
      nodeId: node.id,
      nodeType: node.type,
      nodeName: node.name ?? null,
      status: outcome.kind,
      inputText,
      outputText: outcome.kind === 'succeeded' ? currentText : null,
      error: verdict.error,
      attempts: outcome.attempts,
      startedAt: stepStartedAt,
      finishedAt,
    })
    const end = verdict.end
      ? [
          ...(verdict.end.skipReason
            ? skipSteps(db, run, nodes, index + 1, verdict.end.skipReason, finishedAt)
            : []),
          finishRun(db, run, verdict.end, currentText, finishedAt),
        ]
      : []

    // One round trip: the step, and when the run ends here, the skipped steps and the run.
    const results = await db.batch([...blobs, step, ...end])
    if (results[blobs.length]!.meta.changes !== 1) {
      // The lease passed to another consumer (we were too slow); it owns the run now.
      console.warn(JSON.stringify({ event: 'lease_lost', runId: run.runId, step: index }))
      return ACK
    }
    if (verdict.end) return ACK
  }
  return ACK
}

/** Hands the run to a new message: to stay inside one invocation's limits, or to wait for a retry. */
async function continueLater(
  db: D1Database,
  queue: RunsQueue,
  run: ClaimedRun,
  wakeAt: number,
  delayMs: number,
  pending: { index: number; attempts: number; error: ErrorInfo } | null,
): Promise<Outcome> {
  await releaseRun(db, run.runId, run.leaseId, wakeAt, pending).run()
  const delaySeconds = Math.min(MAX_QUEUE_DELAY_S, Math.ceil(delayMs / 1000))
  await queue.send({ v: 1, runId: run.runId }, delaySeconds > 0 ? { delaySeconds } : undefined)
  return ACK
}

function logFailure(run: ClaimedRun, node: WorkflowNode, index: number, error: ErrorInfo) {
  // Inputs and outputs stay out of logs: they can carry personal data and secrets.
  console.error(
    JSON.stringify({
      event: 'node_failed',
      runId: run.runId,
      workflowId: run.workflowId,
      step: stepRef(node, index),
      error: { message: error.message, code: error.code },
    }),
  )
}
