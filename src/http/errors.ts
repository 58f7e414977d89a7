import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import { AutomateError, type ErrorCode } from '../errors'
import { logEvent } from '../lib/log-event'

export type FieldError = { path: string; message: string }

export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

export function validationError(
  issues: readonly z.core.$ZodIssue[],
  prefix: PropertyKey[] = [],
): AutomateError {
  const details: FieldError[] = issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.') || '(body)',
    message: issue.message,
  }))
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  return new AutomateError('VALIDATION_FAILED', `Invalid request: ${summary}`, {
    status: 400,
    details,
  })
}

/** Every error leaves as `{ error: { code, message, details? } }`; unexpected ones hide their inside. */
export function handleError(error: Error, c: Context) {
  if (error instanceof AutomateError) {
    if (error.status >= 500) {
      // The client gets the code; the operator needs the cause as well.
      const cause = error.cause instanceof Error ? error.cause.message : undefined
      logEvent('error', 'http_error', { path: c.req.path, code: error.code, cause })
    }
    return c.json(
      errorBody(error.code, error.message, error.details),
      error.status as ContentfulStatusCode,
    )
  }
  logEvent('error', 'http_error', {
    path: c.req.path,
    message: error.message,
    stack: error.stack,
  })
  return c.json(
    errorBody('INTERNAL', 'Something went wrong on our side; the error is in the Worker logs'),
    500,
  )
}

export function notFound(c: Context) {
  return c.json(errorBody('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}`), 404)
}
