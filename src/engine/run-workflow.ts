import type { ErrorInfo } from '../errors'
import { decodePayload, encodeText } from '../store/payloads'
import {
  DEFAULT_NODE_TIMEOUT_MS,
  type WorkflowDefinition,
  type WorkflowNode,
} from '../workflow/definition'
import { LEASE_MS, claimRun, type ClaimedRun } from './claim'
import type { RunMessage } from './messages'
import { finishRun, insertStep, releaseRun, renewLease, type StepRow } from './record'
import { getNode } from '../nodes/registry'
import { runNode, type NodeLookup } from './run-node'

export type Budget = {
  /** Steps one message may run before the run continues in a new message. */
  steps: number
  /** Wall time one message may take before the same. */
  wallMs: number
}

export type Outcome = { action: 'ack' } | { action: 'retry'; delaySeconds: number }

/** The part of the runs queue the Engine uses: sending a run on to a later message. */
export type RunsQueue = { send(message: RunMessage, options?: QueueSendOptions): Promise<unknown> }

/** What the Engine works with; `nodes` defaults to the generated registry. */
export type EngineDeps = { db: D1Database; queue: RunsQueue; nodes?: NodeLookup }

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
    await finishRun(db, message.runId, claim.leaseId, 'failed', null, error, Date.now()).run()
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
    // Every step is recorded but the run was not closed: close it now.
    await finishRun(
      db,
      run.runId,
      run.leaseId,
      failures ? 'completed_with_errors' : 'succeeded',
      currentText,
      null,
      Date.now(),
    ).run()
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
    })
    const finishedAt = Date.now()

    if (outcome.kind === 'retry-later') {
      const pending = { index, attempts: outcome.attempts, error: outcome.error }
      return continueLater(db, queue, run, finishedAt + outcome.delayMs, outcome.delayMs, pending)
    }

    const row: StepRow = {
      index,
      nodeId: node.id,
      nodeType: node.type,
      nodeName: node.name ?? null,
      status: outcome.kind,
      inputText: currentText,
      outputText: null,
      error: null,
      attempts: outcome.attempts,
      startedAt: stepStartedAt,
      finishedAt,
    }
    const statements: D1PreparedStatement[] = []
    let ends: D1PreparedStatement[] = []

    if (outcome.kind === 'succeeded') {
      const encoded = encodeText(db, outcome.outputText)
      statements.push(...encoded.statements)
      row.outputText = encoded.text
      currentText = encoded.text
      current = outcome.output
      if (outcome.halted !== undefined) {
        ends = [
          ...skipRest(db, run, nodes, index + 1, finishedAt, `skipped: ${outcome.halted}`),
          finishRun(
            db,
            run.runId,
            run.leaseId,
            failures ? 'completed_with_errors' : 'succeeded',
            currentText,
            null,
            finishedAt,
          ),
        ]
      }
    } else {
      failures += 1
      row.error = nameNode(outcome.error, node, index)
      logFailure(run, node, index, row.error)
      if ((node.onError ?? definition.onError) === 'stop') {
        const runError = { ...row.error, step: stepRef(node, index) }
        ends = [
          ...skipRest(
            db,
            run,
            nodes,
            index + 1,
            finishedAt,
            `skipped: step ${index} ('${node.id}') failed`,
          ),
          finishRun(db, run.runId, run.leaseId, 'failed', currentText, runError, finishedAt),
        ]
      }
    }
    if (ends.length === 0 && index === nodes.length - 1) {
      const runError = failures
        ? {
            message: `${failures} step(s) failed and were passed over (onError: continue)`,
            code: 'STEPS_FAILED',
          }
        : null
      ends = [
        finishRun(
          db,
          run.runId,
          run.leaseId,
          failures ? 'completed_with_errors' : 'succeeded',
          currentText,
          runError,
          finishedAt,
        ),
      ]
    }

    const stepAt = statements.length
    const results = await db.batch([
      ...statements,
      insertStep(db, run.runId, run.leaseId, row),
      ...ends,
    ])
    if (results[stepAt]!.meta.changes !== 1) {
      // The lease passed to another consumer (we were too slow); it owns the run now.
      console.warn(JSON.stringify({ event: 'lease_lost', runId: run.runId, step: index }))
      return ACK
    }
    if (ends.length > 0) return ACK
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

function skipRest(
  db: D1Database,
  run: ClaimedRun,
  nodes: WorkflowDefinition['nodes'],
  from: number,
  at: number,
  reason: string,
) {
  return nodes.slice(from).map((node, offset) =>
    insertStep(db, run.runId, run.leaseId, {
      index: from + offset,
      nodeId: node.id,
      nodeType: node.type,
      nodeName: node.name ?? null,
      status: 'skipped',
      inputText: null,
      outputText: null,
      error: { message: reason, code: 'SKIPPED' },
      attempts: 0,
      startedAt: null,
      finishedAt: at,
    }),
  )
}

function stepRef(node: WorkflowNode, index: number) {
  return { index, id: node.id, type: node.type, ...(node.name ? { name: node.name } : {}) }
}

/** Says which node failed in the message itself, so any log line or alert is enough to act on. */
function nameNode(error: ErrorInfo, node: WorkflowNode, index: number): ErrorInfo {
  const name = node.name ? `, "${node.name}"` : ''
  return {
    ...error,
    message: `Step ${index} '${node.id}' (${node.type}${name}) failed: ${error.message}`,
  }
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
