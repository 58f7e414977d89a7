import jsonata from 'jsonata'
import { z } from 'zod'
import { AutomateError } from '../errors'

type Expression = ReturnType<typeof jsonata>

// Compiling is the costly part and a workflow's expressions repeat on every run.
const compiled = new Map<string, Expression>()
const CACHE_LIMIT = 500

export function compileExpression(source: string): Expression {
  let expression = compiled.get(source)
  if (!expression) {
    try {
      expression = jsonata(source)
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
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
    compiled.set(source, expression)
  }
  return expression
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

export async function evaluateExpression(
  source: string,
  input: unknown,
  bindings?: Record<string, unknown>,
) {
  const expression = compileExpression(source)
  try {
    return await expression.evaluate(input, bindings)
  } catch (error) {
    throw new AutomateError('EXPRESSION_FAILED', `JSONata evaluation failed: ${messageOf(error)}`, {
      retryable: false,
      cause: error,
      details: { expression: source },
    })
  }
}

function messageOf(error: unknown) {
  return error instanceof Error
    ? error.message
    : String((error as { message?: unknown })?.message ?? error)
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
