import { AutomateError } from '../errors'
import type { TemplateContext } from './context'
import { evaluateTemplate } from './fill'
import { fieldExpression } from './parse'

export const FOR_EACH_DEFAULT_LIMIT = 1_000
export const FOR_EACH_MAX_LIMIT = 10_000

/**
 * The elements a node's `forEach` runs over. JSONata gives a one-element match as the element
 * itself, so a single value is a list of one; a missing value fails the step (write
 * `{{ input.items ?? [] }}` to run over nothing instead).
 */
export async function forEachList(
  text: string,
  context: TemplateContext,
  limit = FOR_EACH_DEFAULT_LIMIT,
): Promise<unknown[]> {
  const expression = fieldExpression(text)
  if (!expression.ok) {
    throw new AutomateError('FOR_EACH_FAILED', `forEach '${text}': ${expression.error}`, {
      retryable: false,
      details: { field: 'forEach', reason: expression.error },
    })
  }
  let value: unknown
  try {
    value = await evaluateTemplate(expression, context, ['forEach'])
  } catch (error) {
    const inner = error as AutomateError
    throw new AutomateError('FOR_EACH_FAILED', inner.message, {
      retryable: false,
      cause: error,
      details: inner.details,
    })
  }
  const list = Array.isArray(value) ? value : [value]
  if (list.length > limit) {
    throw new AutomateError(
      'FOR_EACH_FAILED',
      `forEach yields ${list.length} elements, over the node's limit of ${limit} ` +
        `(set forEachLimit, at most ${FOR_EACH_MAX_LIMIT})`,
      { retryable: false, details: { field: 'forEach', count: list.length, limit } },
    )
  }
  return list
}
