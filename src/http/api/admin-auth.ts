import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Env } from '../../env'
import { secretsEqual } from '../../lib/ids'
import { adminTokenProblem } from '../admin-token'
import { clientOf, recordFailure, throttledFor } from '../auth-throttle'
import { errorBody } from '../errors'

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; anything else is 401. Only
 * the header counts (a token in the query string would end up in logs and browser history), a
 * Worker whose token is too short lets nobody in, and a client that keeps sending wrong tokens
 * is told to wait.
 */
export const adminAuth: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const problem = adminTokenProblem(c.env)
  if (problem) {
    c.header('WWW-Authenticate', 'Bearer realm="automateos"')
    return c.json(errorBody(problem.code, problem.message), problem.status as ContentfulStatusCode)
  }
  const client = clientOf(c.req.raw)
  const wait = throttledFor(client)
  if (wait > 0) return tooManyAttempts(c, wait)

  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(.+)$/i.exec(header)
  if (!match || !(await secretsEqual(match[1]!.trim(), c.env.ADMIN_TOKEN!))) {
    // A request without a token is not a guess: only a wrong one counts.
    if (match) recordFailure(client)
    c.header('WWW-Authenticate', 'Bearer realm="automateos"')
    return c.json(errorBody('UNAUTHORIZED', 'Send Authorization: Bearer <ADMIN_TOKEN>'), 401)
  }
  await next()
}

export function tooManyAttempts(c: Context, waitMs: number) {
  const seconds = Math.ceil(waitMs / 1000)
  c.header('Retry-After', String(seconds))
  return c.json(
    errorBody(
      'TOO_MANY_ATTEMPTS',
      `Too many wrong admin tokens from this client; try again in ${seconds} s`,
      { retryAfterSeconds: seconds },
    ),
    429,
  )
}
