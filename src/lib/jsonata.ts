import jsonata from 'jsonata'
import { z } from 'zod'
import { AutomateError } from '../errors'
import {
  escapeDiscord,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownV2,
  escapeSlack,
} from './escape-markup'
import { bindBuiltins, builtinsReady } from './jsonata-builtins'
import {
  BUDGET_BINDING,
  type Budget,
  type ExpressionLimits,
  type Frame,
  LimitReached,
  budgetOf,
  chargeChars,
  stepsExceeded,
} from './jsonata-budget'

type Expression = ReturnType<typeof jsonata>

export type { ExpressionLimits }

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
// (`environment.base`, see jsonata-budget.ts), so one compiled expression can serve concurrent runs.

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

/** Installs the step counter, depth and size checks, and built-ins charged for their work. */
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
    (node: { type?: string; value?: unknown }, _input: unknown, env: Frame, result: unknown) => {
      const budget = budgetOf(env)
      if (!budget) return
      if (Array.isArray(result)) {
        if (result.length > budget.limits.sequence)
          throw new LimitReached(`a sequence is longer than ${budget.limits.sequence} items`)
        budget.used += result.length
        if (budget.used > budget.limits.steps) throw stepsExceeded(budget.limits)
      } else if (typeof result === 'string') {
        if (result.length > budget.limits.stringLength)
          throw new LimitReached(`a string is longer than ${budget.limits.stringLength} characters`)
        // `&` turns both sides into strings ($string of an object) and joins them.
        if (node.type === 'binary' && node.value === '&') chargeChars(budget, result.length)
      }
    },
  )
  bindBuiltins(expression)
  for (const [name, escape] of Object.entries(ESCAPE_FUNCTIONS)) {
    expression.registerFunction(
      name,
      function (value: unknown) {
        const text = textOf(value)
        if (text === undefined) return undefined
        // Charged like the built-ins, for the characters it reads (src/lib/jsonata-builtins.ts).
        const focus = this as unknown as { environment?: Frame }
        chargeChars(budgetOf(focus.environment), text.length)
        return escape(text)
      },
      '<j-:s>',
    )
  }
}

/**
 * A value escaped for one app's markup, for text assembled by hand (a node with escapeData:
 * false, a transform building a message): $escapeMarkdownV2(input.name).
 */
const ESCAPE_FUNCTIONS = {
  escapeSlack,
  escapeHtml,
  escapeMarkdownV2,
  escapeMarkdown,
  escapeDiscord,
} satisfies Record<string, (text: string) => string>

/** A number or a boolean reads as it prints (1.5, not "1.5"); anything else as its JSON. */
function textOf(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value)
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
  await builtinsReady
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
