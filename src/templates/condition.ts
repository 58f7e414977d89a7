import { AutomateError } from '../errors'
import { evaluateExpression } from '../lib/jsonata'
import type { TemplateContext } from './context'
import { fieldExpression } from './parse'

/**
 * A node's `if`, with JSONata's own truthiness: false, null, 0, '', an empty array or object, and
 * no match at all (a field that is not there) skip the node. An expression that fails to
 * evaluate fails the step: skipping on an error would hide it.
 */
export async function evaluateIf(text: string, context: TemplateContext): Promise<boolean> {
  const expression = fieldExpression(text)
  if (!expression.ok) throw ifError(text, expression.error)
  let value: unknown
  try {
    value = await evaluateExpression(expression.source, context)
  } catch (error) {
    throw ifError(text, (error as Error).message, error)
  }
  return (await evaluateExpression('$boolean($value)', null, { value })) === true
}

function ifError(text: string, reason: string, cause?: unknown) {
  return new AutomateError('IF_FAILED', `if '${text}' failed: ${reason}`, {
    retryable: false,
    cause,
    details: { field: 'if', expression: text, reason },
  })
}
