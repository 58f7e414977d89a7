import jsonata from 'jsonata'
import { z } from 'zod'
import { AutomateError } from '../errors'

type Expression = ReturnType<typeof jsonata>

/**
 * What one evaluation may cost. A Worker's clock does not advance during CPU-only work, so a
 * timeout cannot stop a runaway expression (`[1..1e6].[1..1e6]`, a function that calls itself):
 * only counting can. About a million units is under a second of CPU.
 */
export type ExpressionLimits = {
  /** Evaluation steps plus the elements of every array a step produces (a range allocates). */
  steps: number
  /** Nesting of evaluation: a recursive function adds about three levels per call. */
  depth: number
  /** Length of any one sequence (JSONata's own `sequence` guard, also caps `[a..b]`). */
  sequence: number
  /** Length of any one string a step produces: `$s & $s` doubles in one step. */
  stringLength: number
}

export const DEFAULT_LIMITS: ExpressionLimits = {
  steps: 1_000_000,
  depth: 1_000,
  sequence: 500_000,
  stringLength: 5_000_000,
}

/** For expressions evaluated while a sender waits (trigger.dedupe.path): a path, not a program. */
export const INGEST_LIMITS: ExpressionLimits = {
  steps: 20_000,
  depth: 100,
  sequence: 20_000,
  stringLength: 100_000,
}

const ENTRY = Symbol.for('jsonata.__evaluate_entry')
const EXIT = Symbol.for('jsonata.__evaluate_exit')
// Per-evaluation state is bound into JSONata's root frame of that evaluation
// (`environment.base`), so one compiled expression can serve concurrent runs. JSONata binds
// only string keys; a block's `:=` binds in a child frame, so an expression cannot replace it.
const BUDGET_BINDING = '__automateos_budget'
const BUDGET = Symbol('automateos.budget')

type Budget = { used: number; limits: ExpressionLimits }
type RootFrame = { depth: number; lookup(name: string): unknown; [BUDGET]?: Budget | null }
type Frame = { base: RootFrame }

/** This evaluation's budget, looked up once and then kept on the root frame. */
function budgetOf(env: Frame | undefined): Budget | undefined {
  const base = env?.base
  if (!base) return undefined
  if (base[BUDGET] === undefined) base[BUDGET] = (base.lookup(BUDGET_BINDING) as Budget) ?? null
  return base[BUDGET] ?? undefined
}

/** Thrown from inside JSONata's hooks; becomes EXPRESSION_LIMIT at the boundary. */
class LimitReached {
  constructor(readonly message: string) {}
}

// JSONata's own codes for its guards: stack depth, range size, sequence length.
const LIMIT_CODES: Record<string, string> = {
  D1011: 'depth',
  D2014: 'sequence',
  D2015: 'sequence',
}

// Compiling is the costly part and a workflow's expressions repeat on every run.
const compiled = new Map<string, Expression>()
const CACHE_LIMIT = 500

export function compileExpression(source: string): Expression {
  let expression = compiled.get(source)
  if (!expression) {
    try {
      // The depth and sequence guards are fixed at compile time; the tighter of the two limit
      // sets is compiled in, and the budget hooks below enforce each evaluation's own.
      expression = jsonata(source, {
        stack: DEFAULT_LIMITS.depth,
        sequence: DEFAULT_LIMITS.sequence,
      })
    } catch (error) {
      throw new AutomateError(
        'EXPRESSION_INVALID',
        `Invalid JSONata expression: ${messageOf(error)}`,
        {
          status: 400,
          retryable: false,
          cause: error,
          details: { expression: source, position: (error as { position?: number }).position },
        },
      )
    }
    bound(expression)
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
    compiled.set(source, expression)
  }
  return expression
}

/** Installs the step counter, depth and size checks, and a $pad that cannot allocate gigabytes. */
function bound(expression: Expression) {
  expression.assign(ENTRY as unknown as string, (_node: unknown, _input: unknown, env: Frame) => {
    const budget = budgetOf(env)
    if (!budget) return
    if (++budget.used > budget.limits.steps) throw stepsExceeded(budget.limits)
    if (env.base.depth > budget.limits.depth)
      throw new LimitReached(
        `the expression nests deeper than ${budget.limits.depth} levels (a function calling itself?)`,
      )
  })
  expression.assign(
    EXIT as unknown as string,
    (_node: unknown, _input: unknown, env: Frame, result: unknown) => {
      const budget = budgetOf(env)
      if (!budget) return
      if (Array.isArray(result)) {
        if (result.length > budget.limits.sequence)
          throw new LimitReached(`a sequence is longer than ${budget.limits.sequence} items`)
        budget.used += result.length
        if (budget.used > budget.limits.steps) throw stepsExceeded(budget.limits)
      } else if (typeof result === 'string' && result.length > budget.limits.stringLength) {
        throw new LimitReached(`a string is longer than ${budget.limits.stringLength} characters`)
      }
    },
  )
  // $pad(' ', 1e9) builds its padding in one native call, before any hook sees the result.
  expression.registerFunction(
    'pad',
    function (text: string | undefined, width: number, char?: string) {
      // JSONata calls a native function with its focus, which carries the calling frame.
      const focus = this as unknown as { environment?: Frame }
      const limit = budgetOf(focus.environment)?.limits.stringLength ?? DEFAULT_LIMITS.stringLength
      if (Math.abs(width) > limit)
        throw new LimitReached(`$pad to ${width} characters; the limit is ${limit}`)
      return padImplementation(text, width, char)
    },
    '<s-ns?:s>',
  )
}

function stepsExceeded(limits: ExpressionLimits) {
  return new LimitReached(
    `the expression took more than ${limits.steps} evaluation steps (a runaway loop or range?)`,
  )
}

/** JSONata's $pad: width counts characters (code points); a negative width pads on the left. */
function padImplementation(text: string | undefined, width: number, char?: string) {
  if (text === undefined) return undefined
  const fill = char === undefined || char.length === 0 ? ' ' : char
  const missing = Math.abs(Math.trunc(width)) - [...text].length
  if (missing <= 0) return text
  const padding = [...fill.repeat(Math.ceil(missing / [...fill].length))].slice(0, missing).join('')
  return width > 0 ? text + padding : padding + text
}

/** The syntax error of an expression, or undefined when it compiles: for save-time validation. */
export function expressionError(source: string): string | undefined {
  try {
    compileExpression(source)
    return undefined
  } catch (error) {
    // JSONata's own words, not our wrapper's: the schema adds its own 'invalid JSONata' prefix.
    const cause = error instanceof AutomateError ? error.cause : error
    const position = (cause as { position?: unknown })?.position
    return typeof position === 'number'
      ? `${messageOf(cause)} (at character ${position})`
      : messageOf(cause)
  }
}

/**
 * Evaluates a JSONata expression within `limits` (DEFAULT_LIMITS unless given): past them it
 * throws EXPRESSION_LIMIT, which no retry can fix.
 */
export async function evaluateExpression(
  source: string,
  input: unknown,
  bindings?: Record<string, unknown>,
  limits: ExpressionLimits = DEFAULT_LIMITS,
) {
  const expression = compileExpression(source)
  const budget: Budget = { used: 0, limits }
  try {
    return await expression.evaluate(input, { ...bindings, [BUDGET_BINDING]: budget })
  } catch (error) {
    throw evaluationError(error, source, limits)
  }
}

function evaluationError(error: unknown, source: string, limits: ExpressionLimits) {
  const code = (error as { code?: unknown })?.code
  const limitName = typeof code === 'string' ? LIMIT_CODES[code] : undefined
  const overflow = error instanceof RangeError // "Invalid string length", "call stack size"
  if (error instanceof LimitReached || limitName || overflow) {
    const reason =
      error instanceof LimitReached
        ? error.message
        : limitName === 'depth'
          ? `the expression nests deeper than ${limits.depth} levels (a function calling itself?)`
          : limitName === 'sequence'
            ? `a sequence is longer than ${limits.sequence} items`
            : messageOf(error)
    return new AutomateError('EXPRESSION_LIMIT', `JSONata evaluation stopped: ${reason}`, {
      retryable: false,
      cause: error,
      details: { expression: source, limits },
    })
  }
  return new AutomateError('EXPRESSION_FAILED', `JSONata evaluation failed: ${messageOf(error)}`, {
    retryable: false,
    cause: error,
    details: { expression: source },
  })
}

function messageOf(error: unknown) {
  return error instanceof Error
    ? error.message
    : String((error as { message?: unknown })?.message ?? error)
}

// JSONata functions whose result can change between two evaluations of the same expression on
// the same input ($eval can call any of them from a string).
const VOLATILE_FUNCTION = /\$(now|millis|random|eval)\b/

/**
 * Whether text (an expression, a template, a whole node's JSON) may call a JSONata function
 * whose result changes between evaluations. Conservative: a mention inside a string literal
 * counts too, which costs at most a D1 round trip.
 */
export function mentionsVolatileFunction(text: string): boolean {
  return VOLATILE_FUNCTION.test(text)
}

/** A config field holding a JSONata expression: checked when the workflow is saved. */
export function jsonataSource() {
  return z
    .string()
    .min(1)
    .superRefine((source, ctx) => {
      // An empty one already fails min(1): one issue is enough.
      const error = source ? expressionError(source) : undefined
      if (error) ctx.addIssue({ code: 'custom', message: `invalid JSONata: ${error}` })
    })
}
