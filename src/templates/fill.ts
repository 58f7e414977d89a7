import { AutomateError } from '../errors'
import type { Escaper } from '../lib/escape-markup'
import { evaluateExpression } from '../lib/jsonata'
import { LITERAL_FIELDS } from './check'
import type { TemplateContext } from './context'
import { hasTemplate, parseTemplate, soleExpression, type Segment } from './parse'
import { formatPath, type FieldPath } from './walk'

/** The escaper for what a template fills in at `path` (from 'config'), or none. */
export type EscapeAt = (path: FieldPath) => Escaper | undefined

/**
 * A node's rule for escaping filled-in values (NodeDefinition.escapeFilled): `fields` are filled
 * after the others, and `escaper` picks, from the config with those others filled in, the
 * escaper for a value filled in at a path under the node's config (['text'], ['blocks', 0, …]).
 */
export type EscapeRule = {
  fields: readonly string[]
  escaper(config: Record<string, unknown>, path: FieldPath): Escaper | undefined
}

/**
 * A copy of `value` with every template filled in from `context`, at any depth. A string that is
 * exactly one template becomes the expression's value, of whatever JSON type; text around
 * templates makes a string, with objects and arrays written as JSON. With `escapeAt`, the text
 * an expression produces (a string value, or the JSON of another one spliced into text) is
 * escaped; the literal text around it is the author's and stays as written. Throws
 * TEMPLATE_FAILED, naming the field and quoting the template, when one fails or reads a missing
 * value.
 */
export async function fillTemplates(
  value: unknown,
  context: TemplateContext,
  path: FieldPath,
  escapeAt?: EscapeAt,
): Promise<unknown> {
  if (typeof value === 'string')
    return hasTemplate(value) ? fillString(value, context, path, escapeAt?.(path)) : value
  if (Array.isArray(value)) {
    const out: unknown[] = []
    for (let i = 0; i < value.length; i++)
      out.push(await fillTemplates(value[i], context, [...path, i], escapeAt))
    return out
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] = await fillTemplates(item, context, [...path, key], escapeAt)
    }
    return out
  }
  return value
}

/**
 * A node's config filled in, leaving its verbatim fields (code's source) and literal ones (its
 * credential: ./check.ts) as written, and escaping
 * what templates put into the fields its escape rule names.
 */
export async function fillConfig(
  config: Record<string, unknown>,
  context: TemplateContext,
  verbatim: readonly string[] = [],
  escape?: EscapeRule,
): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  const escaped = escape?.fields ?? []
  for (const [key, value] of Object.entries(config)) {
    const asWritten =
      verbatim.includes(key) || LITERAL_FIELDS.includes(key) || escaped.includes(key)
    out[key] = asWritten ? value : await fillTemplates(value, context, ['config', key])
  }
  if (!escape) return out
  // The escaper depends on other fields (Telegram's parseMode, escapeData), filled in by now.
  const others = { ...out }
  const escapeAt: EscapeAt = (path) => escape.escaper(others, path.slice(1))
  for (const key of escaped) {
    if (key in config)
      out[key] = await fillTemplates(config[key], context, ['config', key], escapeAt)
  }
  return out
}

async function fillString(
  text: string,
  context: TemplateContext,
  path: FieldPath,
  escape: Escaper | undefined,
) {
  const segments = parsedOrThrow(text, path)
  const sole = soleExpression(segments)
  if (sole !== undefined) {
    // A lone template keeps its value's type; only text is escaped, not a whole block or number.
    const value = await evaluateTemplate(segments[0] as Expr, context, path)
    return escape && typeof value === 'string' ? escape(value) : value
  }
  let out = ''
  for (const segment of segments) {
    if (segment.kind === 'text') out += segment.text
    else {
      const result = await evaluateTemplate(segment, context, path)
      const filled = typeof result === 'string' ? result : JSON.stringify(result)
      out += escape ? escape(filled) : filled
    }
  }
  return out
}

type Expr = Extract<Segment, { kind: 'expr' }>

function parsedOrThrow(text: string, path: FieldPath): Segment[] {
  const parsed = parseTemplate(text)
  if (parsed.ok) return parsed.segments
  throw new AutomateError('TEMPLATE_INVALID', `${formatPath(path)}: ${parsed.error}`, {
    retryable: false,
    details: { field: formatPath(path), reason: parsed.error },
  })
}

/** One `{{ expr }}`: its JSON value, or TEMPLATE_FAILED saying which, where and why. */
export async function evaluateTemplate(
  segment: { source: string; raw: string },
  context: TemplateContext,
  path: FieldPath,
): Promise<unknown> {
  let result: unknown
  try {
    result = await evaluateExpression(segment.source, context)
  } catch (error) {
    throw templateError(segment.raw, path, reasonOf(error), error)
  }
  if (result === undefined) {
    throw templateError(segment.raw, path, 'it reads a missing value (nothing matched)')
  }
  return asJsonValue(result, segment.raw, path)
}

function asJsonValue(value: unknown, raw: string, path: FieldPath): unknown {
  if (typeof value === 'function') {
    throw templateError(raw, path, 'it yields a function, not a JSON value')
  }
  if (value === null || typeof value !== 'object') return value
  // JSONata sequences are arrays with extra properties; the node gets plain JSON.
  return JSON.parse(JSON.stringify(value))
}

export function templateError(raw: string, path: FieldPath, reason: string, cause?: unknown) {
  const field = formatPath(path)
  // The inner code (EXPRESSION_LIMIT for a runaway expression, say) stays visible in details.
  const reasonCode = cause instanceof AutomateError ? cause.code : undefined
  return new AutomateError('TEMPLATE_FAILED', `Template ${raw} in ${field} failed: ${reason}`, {
    retryable: false,
    cause,
    details: { field, template: raw, reason, ...(reasonCode ? { reasonCode } : {}) },
  })
}

function reasonOf(error: unknown): string {
  // evaluateExpression wraps JSONata's error; its own words are in the cause.
  const inner =
    error instanceof AutomateError && error.code === 'EXPRESSION_FAILED' ? error.cause : error
  const message = (inner as { message?: unknown })?.message
  return typeof message === 'string' && message ? message : String(inner)
}
