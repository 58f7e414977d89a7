import type { ErrorInfo } from '../errors'
import { logEvent } from '../lib/log-event'
import { redactKnownInJson } from '../redact/redact'
import type { NodeDefinition } from '../nodes/define-node'
import { findNode } from '../nodes/registry'
import type { CredentialReader } from '../credentials/node-credential'
import { decodePayload, encodeText } from '../store/payloads'
import { clearWaiting, finishRun, releaseRun, renewLease } from '../store/run-row'
import { suspendRun, type Suspend } from '../nodes/define-node'
import { keptCallKey, type Waiting } from '../store/run-model'
import { claimRun, type ClaimedRun } from '../store/claim-run'
import { LEASE_MARGIN_MS, LEASE_MS, checkLease, type Budget } from './lease-guard'
import { type PendingRetry, type RunMessage } from '../store/run-model'
import { queueDelaySeconds, resumeMessage, type RunsQueue } from './messages'
import { stepLog, type StepLog } from '../store/step-log'
import { stepTimeoutMs, type NodeLookup, type NodeOutcome } from './run-node'
import { clearItemResults } from '../store/foreach-items'
import { runMappedStep, type StepOutcome } from './map-step'
import { stepScope, type StepScope } from './step-scope'
import {
  endOfList,
  judgeStep,
  skippedSteps,
  stepRef,
  type FinishedStep,
  type RunEnd,
} from './step-verdict'
import { hasEffects, isReplayable } from './replayable'

export type Outcome = { action: 'ack' } | { action: 'retry'; delaySeconds: number }

/** What the Engine works with; `nodes` defaults to the generated registry. */
export type EngineDeps = {
  db: D1Database
  queue: RunsQueue
  nodes?: NodeLookup
  credentials?: CredentialReader
  /** PUBLIC_URL: the origin of resume URLs (otherwise the one the run was started on). */
  publicUrl?: string
  /** The Worker's env, for its encryption key slots: resume URLs are HMACs under them. */
  keySlots?: object
}

const ACK: Outcome = { action: 'ack' }
/** Replayable steps held back at most, so one batch stays small. */
const MAX_WAITING_STEPS = 50

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
  const startedAt = Date.now()
  const lease = { leaseId: crypto.randomUUID(), until: startedAt + LEASE_MS }
  const claim = await claimRun(deps.db, message, lease, startedAt)
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
    await finishRun(deps.db, lease, { status: 'failed', outputText: null, error }, Date.now()).run()
    return ACK
  }
  return runClaimed(deps, claim, budget, startedAt)
}

/** Where a claimed run is: the next node, and what it takes as input. */
type RunState = {
  index: number
  /** Failed steps so far (under onError: continue). */
  failures: number
  /** The next node's input, and its column text (a large payload's blob is referenced, not copied). */
  input: unknown
  inputText: string
  leaseUntil: number
  /** Steps run by this message. */
  stepsRun: number
}

type StepRun<Outcome = StepOutcome> = { outcome: Outcome; startedAt: number; finishedAt: number }

/** Load, run one node, record, next. */
async function runClaimed(deps: EngineDeps, run: ClaimedRun, budget: Budget, startedAt: number) {
  const nodes = run.definition.nodes
  // Each node looked up once; undefined for a type that left the registry (runNode fails it).
  const lookup = deps.nodes ?? findNode
  const definitions = nodes.map((node) => lookup(node.type))
  const state = await loadState(deps.db, run)
  const log = stepLog(deps.db, run)
  const scope = stepScope(
    deps.db,
    {
      ...run,
      nodes,
      firstIndex: state.index,
      publicUrl: deps.publicUrl,
      keySlots: deps.keySlots,
    },
    definitions,
  )
  while (state.index < nodes.length) {
    const lease = checkLease({
      budget,
      stepsRun: state.stepsRun,
      messageStartedAt: startedAt,
      leaseUntil: state.leaseUntil,
      timeoutMs: stepTimeoutMs(definitions[state.index], nodes[state.index]!),
      now: Date.now(),
    })
    if (lease.action === 'continue-later') return continueLater(deps, run, log, 0, null)
    if (lease.action === 'renew') {
      await renewLease(deps.db, run, lease.until).run()
      state.leaseUntil = lease.until
    }
    // A node with effects starts only once every step before it that could not be replayed
    // unnoticed (one with effects, or one whose output may differ next time) is recorded.
    const definition = definitions[state.index]
    if (log.holdsUnreplayable && hasEffects(definition) && !(await log.flush())) {
      return leaseLost(run, state.index - 1)
    }

    const stepRun = await runStep(deps, run, state, scope, definition, { budget, startedAt })
    const { outcome, startedAt: stepStartedAt, finishedAt } = stepRun
    if (outcome.kind === 'continue-later')
      return continueLater(deps, run, log, outcome.delayMs ?? 0, null)
    if (outcome.kind === 'succeeded' && outcome.suspend) {
      return suspend(deps, run, log, state, outcome.suspend, outcome.attempts, stepStartedAt)
    }
    // The wait this step paused the run for is over: its step is recorded below.
    if (run.waiting?.index === state.index) log.add([clearWaiting(deps.db, run)])
    if (outcome.kind === 'retry-later') {
      const { attempts, error, delayMs } = outcome
      return continueLater(deps, run, log, delayMs, { index: state.index, attempts, error })
    }
    const step = { outcome, startedAt: stepStartedAt, finishedAt }
    if (await recordStep(deps, run, state, log, step, scope, definition)) return ACK
  }
  // Every step is recorded but the run was not closed: close it as the last step would have.
  await runEnd(deps.db, run, endOfList(state.failures), state.inputText, Date.now()).run()
  return ACK
}

async function loadState(db: D1Database, run: ClaimedRun): Promise<RunState> {
  // The input of the next node is the last succeeded node's output (a failed node is passed over).
  const inputText = run.lastOutputText ?? run.inputText ?? 'null'
  return {
    index: run.stepStatuses.length,
    failures: run.stepStatuses.filter((s) => s === 'failed').length,
    input: await decodePayload(db, inputText),
    inputText,
    leaseUntil: run.leaseUntil,
    stepsRun: 0,
  }
}

/**
 * Runs the next node on the state's input, with its templates, `if` and `forEach` (map-step.ts);
 * the node's config is checked as it starts.
 */
async function runStep(
  deps: EngineDeps,
  run: ClaimedRun,
  state: RunState,
  scope: StepScope,
  definition: NodeDefinition | undefined,
  message: { budget: Budget; startedAt: number },
): Promise<StepRun> {
  const { index } = state
  const node = run.definition.nodes[index]!
  // A step that paused the run is not run again: its wait ends, or goes on.
  if (run.waiting?.index === index) return endWait(deps.db, run.waiting, Date.now())
  const startedAt = Date.now()
  // Each forEach element with outside effects counts as a step of the message's budget (the
  // Workers subrequest limit is per invocation); the step itself counts one of them.
  let elements = 0
  const outcome = await runMappedStep({
    scope,
    db: deps.db,
    leaseId: run.leaseId,
    onError: node.onError ?? run.definition.onError,
    mayRunMore: async () =>
      checkLease({
        budget: message.budget,
        stepsRun: state.stepsRun + elements,
        messageStartedAt: message.startedAt,
        leaseUntil: state.leaseUntil,
        timeoutMs: stepTimeoutMs(definition, node),
        now: Date.now(),
      }).action === 'run',
    elementRan: () => {
      elements += 1
    },
    definition,
    node,
    index,
    input: state.input,
    runId: run.runId,
    workflowId: run.workflowId,
    attemptsSoFar: run.pendingRetry?.index === index ? run.pendingRetry.attempts : 0,
    mustFinishBy: state.leaseUntil - LEASE_MARGIN_MS,
    credentials: deps.credentials,
  })
  state.stepsRun += Math.max(0, elements - 1)
  return { outcome, startedAt, finishedAt: Date.now() }
}

/**
 * Records a finished step and moves the state past it. True when the run ended here (or this
 * consumer lost the run), false when the next node is to run.
 */
async function recordStep(
  deps: EngineDeps,
  run: ClaimedRun,
  state: RunState,
  log: StepLog,
  step: StepRun<FinishedStep & { config?: unknown }>,
  scope: StepScope,
  definition: NodeDefinition | undefined,
): Promise<boolean> {
  const { db } = deps
  const { index } = state
  const nodes = run.definition.nodes
  const node = nodes[index]!
  const { outcome } = step
  const verdict = judgeStep(run.definition, index, outcome, state.failures)
  const inputText = state.inputText
  let before: D1PreparedStatement[] = []
  // The filled-in config may quote an earlier output or the trigger: no known secret is kept,
  // and no resume token (a sent link): reads make it again from the Worker's secret.
  const configText =
    'config' in outcome && outcome.config !== undefined
      ? encodeText(
          db,
          scope.hideTokens(redactKnownInJson(outcome.config, JSON.stringify(outcome.config)).text),
        )
      : undefined
  if (outcome.kind === 'succeeded') {
    const encoded = encodeText(db, outcome.outputText)
    before = encoded.statements
    state.inputText = encoded.text
    state.input = outcome.output
    scope.remember(index, outcome.output)
  } else if (outcome.kind === 'failed') {
    // Inputs and outputs stay out of logs: they can carry personal data and secrets.
    const { message, code } = verdict.error!
    logEvent('error', 'node_failed', {
      runId: run.runId,
      workflowId: run.workflowId,
      step: stepRef(node, index),
      error: { message, code },
    })
  }
  log.addStep(
    {
      index,
      nodeId: node.id,
      nodeType: node.type,
      nodeName: node.name ?? null,
      status: outcome.kind,
      inputText,
      outputText: outcome.kind === 'succeeded' ? state.inputText : null,
      error: verdict.error,
      attempts: outcome.kind === 'skipped' ? 0 : outcome.attempts,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      configText: configText?.text ?? null,
    },
    [...before, ...(configText?.statements ?? [])],
    isReplayable(definition, node),
  )
  // A forEach's finished elements are in the step now.
  if (node.forEach !== undefined) log.add([clearItemResults(db, run.runId, index)])
  state.failures = verdict.failures
  state.index += 1
  state.stepsRun += 1
  if (verdict.end) {
    const { skipReason } = verdict.end
    if (skipReason) {
      for (const row of skippedSteps(nodes, index + 1, skipReason, step.finishedAt))
        log.addStep(row)
    }
    log.add([runEnd(db, run, verdict.end, state.inputText, step.finishedAt)])
  }
  // Otherwise the step waits in the log for the run's end, a continuation, or the next node with
  // effects (see runClaimed), unless its output needs blob rows or the batch grows too long.
  if (!verdict.end && before.length === 0 && log.pendingSteps < MAX_WAITING_STEPS) return false
  if (await log.flush()) return verdict.end !== null
  leaseLost(run, index)
  return true
}

/** Releases the run until the step's wait ends; a delayed message (and the sweeper) wakes it. */
async function suspend(
  deps: EngineDeps,
  run: ClaimedRun,
  log: StepLog,
  state: RunState,
  wait: Suspend,
  attempts: number,
  since: number,
): Promise<Outcome> {
  const node = run.definition.nodes[state.index]!
  const timeoutOutput =
    'output' in wait.onTimeout
      ? encodeText(deps.db, JSON.stringify(wait.onTimeout.output ?? null))
      : null
  const waiting: Waiting = {
    index: state.index,
    nodeId: node.id,
    for: wait.waitingFor,
    since,
    until: wait.until,
    attempts,
    onTimeout:
      timeoutOutput !== null
        ? { outputText: timeoutOutput.text }
        : { error: (wait.onTimeout as { error: ErrorInfo }).error },
    ...(await keptCallKey(wait)),
  }
  log.add([
    ...(timeoutOutput?.statements ?? []),
    releaseRun(deps.db, run, wait.until, null, waiting),
  ])
  await log.flush()
  // A wait longer than the queue's ceiling is woken early and suspends again for the rest.
  const delaySeconds = queueDelaySeconds(wait.until - Date.now())
  await deps.queue.send(resumeMessage(run.runId), delaySeconds > 0 ? { delaySeconds } : undefined)
  return ACK
}

/** How a paused step ends now: with the delivered value, at its timeout, or not yet. */
async function endWait(db: D1Database, waiting: Waiting, now: number): Promise<StepRun> {
  const done = (outcome: NodeOutcome): StepRun => ({
    outcome,
    startedAt: waiting.since,
    finishedAt: now,
  })
  const { attempts } = waiting
  const value = async (text: string) => {
    const output = await decodePayload(db, text)
    return { output, outputText: JSON.stringify(output) }
  }
  if (waiting.deliveredText !== undefined) {
    return done({ kind: 'succeeded', ...(await value(waiting.deliveredText)), attempts })
  }
  const { onTimeout } = waiting
  if (now < waiting.until) {
    const timeout =
      'outputText' in onTimeout ? { output: (await value(onTimeout.outputText)).output } : onTimeout
    const again: Suspend = suspendRun({
      until: waiting.until,
      waitingFor: waiting.for,
      onTimeout: timeout,
      ...(await keptCallKey(waiting)),
    })
    return {
      ...done({ kind: 'succeeded', output: null, outputText: 'null', attempts, suspend: again }),
      startedAt: waiting.since,
    }
  }
  if ('outputText' in onTimeout) {
    return done({ kind: 'succeeded', ...(await value(onTimeout.outputText)), attempts })
  }
  return done({ kind: 'failed', error: onTimeout.error, attempts })
}

/** The lease passed to another consumer (this one was too slow), which owns the run now. */
function leaseLost(run: ClaimedRun, step: number): Outcome {
  logEvent('warn', 'lease_lost', { runId: run.runId, step })
  return ACK
}

function runEnd(db: D1Database, run: ClaimedRun, end: RunEnd, outputText: string, now: number) {
  return finishRun(db, run, { status: end.status, outputText, error: end.error }, now)
}

/** Hands the run to a new message: to stay inside one invocation's limits, or to wait for a retry. */
async function continueLater(
  deps: EngineDeps,
  run: ClaimedRun,
  log: StepLog,
  delayMs: number,
  pending: PendingRetry | null,
): Promise<Outcome> {
  log.add([releaseRun(deps.db, run, Date.now() + delayMs, pending)])
  await log.flush()
  const delaySeconds = queueDelaySeconds(delayMs)
  await deps.queue.send(resumeMessage(run.runId), delaySeconds > 0 ? { delaySeconds } : undefined)
  return ACK
}
