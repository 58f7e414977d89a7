import { AutomateError, describeError, isRetryable, type ErrorInfo } from '../errors'
import { isHalt, isSuspend, type Suspend, type NodeDefinition } from '../nodes/define-node'
import { DEFAULT_NODE_TIMEOUT_MS, type WorkflowNode } from '../workflow/definition'
import { redactError, redactKnownInJson } from '../redact/redact'
import { buildNodeContext, type ContextCall } from './node-context'
import { defaultRetries, retryDelayMs, retryPolicyOf } from './retry-policy'

/** Waits up to this long between attempts inside the consumer; longer waits go back to the queue. */
export const INLINE_RETRY_MAX_MS = 5_000

/** The registry's answer for a node type: undefined for a type it does not know. */
export type NodeLookup = (type: string) => NodeDefinition | undefined

export type NodeCall = ContextCall & {
  /**
   * The node's definition, looked up once for the step; undefined for a type the registry does
   * not know (one that left it since the workflow was saved): runNode fails such a step.
   */
  definition: NodeDefinition | undefined
  input: unknown
  /** Attempts already made (a delayed retry resumes the count). */
  attemptsSoFar: number
  /** The latest time this call may still be running, from the run's lease. */
  mustFinishBy: number
}

export type NodeOutcome =
  | {
      kind: 'succeeded'
      output: unknown
      outputText: string
      attempts: number
      halted?: string
      /** The node paused its run (suspendRun): the step ends when the wait does. */
      suspend?: Suspend
    }
  | { kind: 'failed'; error: ErrorInfo; attempts: number }
  | { kind: 'retry-later'; error: ErrorInfo; attempts: number; delayMs: number }

/**
 * Runs one node through the registry: config validated, each attempt inside try/catch and a
 * timeout, retried as its policy says. Never throws: every failure becomes an outcome.
 */
export async function runNode(call: NodeCall): Promise<NodeOutcome> {
  return redactOutcome(await tryNode(call))
}

/**
 * What is recorded and handed on carries no known secret: an API that echoes the token it was
 * sent, or names it in an error, would otherwise put the credential in a step row.
 */
function redactOutcome(outcome: NodeOutcome): NodeOutcome {
  if (outcome.kind !== 'succeeded') return { ...outcome, error: redactError(outcome.error) }
  const { value, text } = redactKnownInJson(outcome.output, outcome.outputText)
  return text === outcome.outputText ? outcome : { ...outcome, output: value, outputText: text }
}

async function tryNode(call: NodeCall): Promise<NodeOutcome> {
  const { node } = call
  const { policy, byDefault } = retryPolicyOf(call.definition, node.retry)
  const timeoutMs = stepTimeoutMs(call.definition, node)
  let attempt = call.attemptsSoFar
  for (;;) {
    attempt += 1
    try {
      const output = await attemptNode(call, attempt, timeoutMs)
      return output
    } catch (thrown) {
      const error = describeError(thrown)
      const retries = byDefault
        ? defaultRetries(thrown, policy, call.definition)
        : isRetryable(thrown)
      if (!retries || attempt >= policy.maxAttempts)
        return { kind: 'failed', error, attempts: attempt }
      const delayMs = retryDelayMs(policy, attempt, (thrown as AutomateError).retryAfterMs)
      const fitsInline =
        delayMs <= INLINE_RETRY_MAX_MS && Date.now() + delayMs + timeoutMs < call.mustFinishBy
      if (!fitsInline) return { kind: 'retry-later', error, attempts: attempt, delayMs }
      await new Promise((resolve) => setTimeout(resolve, delayMs))
    }
  }
}

/**
 * A step's timeout: its own `timeoutMs`, else its node's default, else the engine's; and never
 * shorter than what its config asks a call to be given (http-request's `timeoutMs`), which would
 * otherwise be cut off by a timeout its author never set.
 */
export function stepTimeoutMs(definition: NodeDefinition | undefined, node: WorkflowNode): number {
  // An unknown type (no definition) fails its step when it runs, at once.
  const own = node.timeoutMs ?? definition?.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS
  const asked = definition?.timeoutFor?.(node.config ?? {})
  return typeof asked === 'number' && Number.isFinite(asked) ? Math.max(own, asked) : own
}

async function attemptNode(
  call: NodeCall,
  attempt: number,
  timeoutMs: number,
): Promise<NodeOutcome> {
  const { node, definition } = call
  if (!definition) {
    throw new AutomateError('NODE_TYPE_UNKNOWN', `Unknown node type '${node.type}'`, {
      retryable: false,
      details: { type: node.type },
    })
  }
  const parsed = definition.config.safeParse(node.config)
  if (!parsed.success) {
    throw new AutomateError(
      'CONFIG_INVALID',
      `Invalid config: ${parsed.error.issues.map(formatIssue).join('; ')}`,
      {
        retryable: false,
        details: parsed.error.issues.map((i) => ({
          path: ['config', ...i.path].join('.'),
          message: i.message,
        })),
      },
    )
  }
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const retryable = definition.retriesTimeouts?.(parsed.data) ?? true
      const why = retryable ? '' : ' (not retried: the call may already have taken effect)'
      const error = new AutomateError('NODE_TIMEOUT', `Timed out after ${timeoutMs} ms${why}`, {
        retryable,
        details: { timeoutMs },
      })
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  try {
    const result = await Promise.race([
      Promise.resolve().then(() =>
        definition.run(
          call.input,
          buildNodeContext(call, definition, parsed.data, attempt, controller.signal),
        ),
      ),
      timeout,
    ])
    if (isSuspend(result)) {
      return {
        kind: 'succeeded',
        output: null,
        outputText: 'null',
        attempts: attempt,
        suspend: result,
      }
    }
    if (isHalt(result))
      return {
        kind: 'succeeded',
        ...asJson(result.output),
        attempts: attempt,
        halted: result.reason,
      }
    return { kind: 'succeeded', ...asJson(result), attempts: attempt }
  } finally {
    if (timer !== undefined) clearTimeout(timer)
  }
}

/**
 * The most a step's output may hold, in UTF-16 units of its JSON: beyond the largest answer a node
 * reads (5 MiB), with room for escaping; past it the output would crowd D1 and every later node.
 */
export const MAX_OUTPUT_CHARS = 8 * 1024 * 1024

/**
 * The next node gets exactly what is recorded, so a resumed run sees the same data as one that
 * never stopped: values JSON cannot hold are refused here rather than silently changed later.
 */
function asJson(value: unknown): { output: unknown; outputText: string } {
  let text: string | undefined
  try {
    text = JSON.stringify(value)
  } catch (error) {
    throw new AutomateError('OUTPUT_NOT_JSON', `Output is not JSON: ${(error as Error).message}`, {
      retryable: false,
      cause: error,
    })
  }
  if (text === undefined) return { output: null, outputText: 'null' }
  if (text.length > MAX_OUTPUT_CHARS) {
    throw new AutomateError(
      'OUTPUT_TOO_LARGE',
      `Output is ${text.length} characters of JSON; a step may output at most ${MAX_OUTPUT_CHARS}`,
      { retryable: false, details: { length: text.length, limit: MAX_OUTPUT_CHARS } },
    )
  }
  return { output: JSON.parse(text), outputText: text }
}

function formatIssue(issue: { path: PropertyKey[]; message: string }) {
  return issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
}
