import { describeError, type ErrorInfo } from '../errors'
import { redactError } from '../redact/redact'
import type { ResumeCall } from '../nodes/define-node'
import { evaluateIf } from '../templates/condition'
import { withItem, type TemplateContext } from '../templates/context'
import { fillConfig } from '../templates/fill'
import { forEachList } from '../templates/for-each-list'
import { loadItemResults, saveItemResult, type ItemResult } from '../store/foreach-items'
import { paceOf, pacer } from './pace'
import { INLINE_RETRY_MAX_MS, runNode, type NodeCall, type NodeOutcome } from './run-node'
import type { StepScope } from './step-scope'

export type StepCall = NodeCall & {
  scope: StepScope
  /** The node's onError, or the workflow's. */
  onError: 'stop' | 'continue'
  db: D1Database
  leaseId: string
  /** Whether one more forEach element may start in this message (its budget and lease). */
  mayRunMore(): Promise<boolean>
  /** A forEach element with outside effects ran: it counts against the message's step budget. */
  elementRan(): void
}

type Ran = Exclude<NodeOutcome, { kind: 'retry-later' }>

export type StepOutcome =
  | (Extract<Ran, { kind: 'succeeded' }> & {
      config?: unknown
      /** Elements of a forEach that failed under onError: continue. */
      partial?: ErrorInfo
    })
  | (Extract<Ran, { kind: 'failed' }> & { config?: unknown })
  | Extract<NodeOutcome, { kind: 'retry-later' }>
  | { kind: 'skipped'; reason: string }
  /**
   * A forEach stopped between elements to stay inside the message's budget, or to keep its pace
   * (rateLimit) for longer than is worth waiting here: the next message comes after `delayMs`.
   */
  | { kind: 'continue-later'; delayMs?: number }

/** How a step its own `if` skipped gives its reason: the pages tell it from a stopped run's skips. */
export const IF_FALSE = 'if is false: '

/**
 * One step with its data mapping: `if` first (false skips the node), then `forEach`, and the
 * config's templates filled in before the node's own schema check (in runNode). A node that uses
 * none of them runs exactly as before, without building a context.
 */
export async function runMappedStep(call: StepCall): Promise<StepOutcome> {
  const { node, scope, index } = call
  if (!scope.needsContext(index)) return runNode(call)
  let context: TemplateContext
  try {
    context = await scope.context(index, call.input)
    if (node.if !== undefined && !(await evaluateIf(node.if, context))) {
      return { kind: 'skipped', reason: `${IF_FALSE}${node.if}` }
    }
  } catch (error) {
    return failedBeforeRun(error)
  }
  if (node.forEach !== undefined) return runEach(call, context)
  let config: Record<string, unknown>
  let resume: ResumeCall | undefined
  try {
    config = await fillConfig(node.config, context, verbatimOf(call), escapeOf(call))
    // A node that waits for its resume URL gets the URL and the token a call must bring.
    if (call.definition?.resumable) resume = await scope.resume(index)
  } catch (error) {
    return failedBeforeRun(error)
  }
  const filled = { ...node, config }
  const outcome = await runNode({ ...call, node: filled, templateContext: context, resume })
  return outcome.kind === 'retry-later' ? outcome : { ...outcome, config }
}

async function runEach(call: StepCall, context: TemplateContext): Promise<StepOutcome> {
  const { node } = call
  let items: unknown[]
  try {
    items = await forEachList(node.forEach!, context, node.forEachLimit)
  } catch (error) {
    return failedBeforeRun(error)
  }
  // A pure node's elements are cheap to run again; one with outside effects keeps a durable
  // record of each finished element, so a run cut by a crash or a budget does not repeat them.
  const durable = !isPure(call)
  const done = durable ? await loadItemResults(call.db, call.runId, call.index) : new Map()
  const lease = { runId: call.runId, leaseId: call.leaseId }
  const results: unknown[] = []
  const configs: unknown[] = []
  const failed: ({ index: number } & ErrorInfo)[] = []
  let attempts = 0
  let ranHere = 0
  let firstPending = true
  // Elements with outside effects keep the node's pace (its rateLimit, or its app's default).
  const pace = pacer(durable ? paceOf(call.definition, node) : undefined)

  for (let i = 0; i < items.length; i++) {
    const itemContext = withItem(context, items[i], i)
    let result: ItemResult | undefined = done.get(i)
    let config: Record<string, unknown> | undefined
    try {
      config = await fillConfig(node.config, itemContext, verbatimOf(call), escapeOf(call))
    } catch (error) {
      if (!result)
        result = { status: 'failed', error: redactError(describeError(error)), attempts: 0 }
    }
    configs.push(config ?? null)
    if (!result) {
      if (durable && ranHere > 0 && !(await call.mayRunMore())) {
        return { kind: 'continue-later', delayMs: await waitOrDelay(pace.waitMs()) }
      }
      const waitMs = pace.waitMs()
      if (waitMs > INLINE_RETRY_MAX_MS) return { kind: 'continue-later', delayMs: waitMs }
      if (waitMs > 0) await sleep(waitMs)
      pace.started()
      const outcome = await runNode({
        ...call,
        node: { ...node, config: config! },
        templateContext: itemContext,
        itemIndex: i,
        // A delayed retry resumes on the element it was waiting for: the first not yet done.
        attemptsSoFar: firstPending ? call.attemptsSoFar : 0,
      })
      firstPending = false
      ranHere++
      if (durable) call.elementRan()
      if (outcome.kind === 'retry-later') return outcome
      result =
        outcome.kind === 'failed'
          ? { status: 'failed', error: outcome.error, attempts: outcome.attempts }
          : outcome.suspend
            ? { status: 'failed', error: pauseInForEach(node.type), attempts: outcome.attempts }
            : { status: 'succeeded', output: outcome.output, attempts: outcome.attempts }
      if (durable && !(await saveItemResult(call.db, lease, call.index, i, result))) {
        // Another consumer holds the run now: stop, and let the message be retried.
        throw new Error(`lease lost during forEach of step ${call.index + 1}`)
      }
    }
    attempts += result.attempts
    if (result.status === 'succeeded') results.push(result.output)
    else {
      failed.push({ index: i, ...result.error })
      results.push(null)
      if (call.onError === 'stop') {
        return {
          kind: 'failed',
          error: {
            message: `element ${i} of ${items.length} failed: ${result.error.message}`,
            code: result.error.code,
            details: { index: i, error: result.error },
          },
          attempts,
          config: configs,
        }
      }
    }
  }
  const outputText = JSON.stringify(results)
  return {
    kind: 'succeeded',
    output: JSON.parse(outputText),
    outputText,
    attempts,
    config: configs,
    ...(failed.length
      ? {
          partial: {
            message:
              `${failed.length} of ${items.length} elements failed (onError: continue): ` +
              failed.map((f) => `element ${f.index}: ${f.message}`).join('; '),
            code: 'FOR_EACH_PARTIAL',
            details: { failed },
          },
        }
      : {}),
  }
}

const isPure = (call: StepCall) => call.definition?.pure === true

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A short wait is waited here, so the next message need not be delayed; a long one is not. */
async function waitOrDelay(waitMs: number) {
  if (waitMs > INLINE_RETRY_MAX_MS) return waitMs
  if (waitMs > 0) await sleep(waitMs)
  return 0
}

const verbatimOf = (call: StepCall) => call.definition?.verbatimFields ?? []

const escapeOf = (call: StepCall) => call.definition?.escapeFilled

/** An if, forEach or template that failed before the node was called: no attempt was made. */
function failedBeforeRun(error: unknown): StepOutcome {
  // Redacted like a node's own failure (runNode): a template's error may quote the data.
  return { kind: 'failed', error: redactError(describeError(error)), attempts: 0 }
}

/**
 * A run waits at a step, not at an element of one: saving refuses a pausing node under forEach
 * (its definition says pausesRun); this catches one that pauses without saying so.
 */
function pauseInForEach(type: string): ErrorInfo {
  return {
    code: 'CONFIG_INVALID',
    message: `a '${type}' node pauses the whole run, so it cannot run once per element`,
  }
}
