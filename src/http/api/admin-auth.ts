import type { Context, MiddlewareHandler } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Env } from '../../env'
import { secretsEqual } from '../../lib/ids'
import { findToken, hashToken } from '../../store/api-tokens'
import { adminTokenProblem } from '../admin-token'
import { clientOf, recordFailure, throttledFor } from '../auth-throttle'
import { errorBody } from '../errors'
import { ADMIN_ACCESS, hasScope, type Access } from './access'
import { scopeFor } from './route-scopes'

/** What every API token starts with: a string that looks like one is looked up, nothing else. */
export const API_TOKEN_PREFIX = 'aos_'

/**
 * `Authorization: Bearer <ADMIN_TOKEN or an API token>`; anything else is 401. ADMIN_TOKEN is
 * compared in constant time; an API token is looked up by its SHA-256, which says nothing of the
 * token. Only the header counts (a token in the query string would end up in logs and browser
 * history), a Worker whose ADMIN_TOKEN is too short lets nobody in, and a client that keeps
 * sending wrong tokens is told to wait. Answers the Access, or the refusal to send.
 */
export async function authenticate(c: Context<{ Bindings: Env }>): Promise<Access | Response> {
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
  const sent = match?.[1]!.trim() ?? ''
  if (match && (await secretsEqual(sent, c.env.ADMIN_TOKEN!))) return ADMIN_ACCESS
  if (match && sent.startsWith(API_TOKEN_PREFIX)) {
    const token = await findToken(c.env.DB, await hashToken(sent), Date.now(), (promise) =>
      c.executionCtx.waitUntil(promise),
    )
    if (token) return { kind: 'token', token }
  }
  // A request without a token is not a guess: only a wrong one counts. A revoked or expired
  // API token is a wrong one.
  if (match) recordFailure(client)
  c.header('WWW-Authenticate', 'Bearer realm="automateos"')
  return c.json(
    errorBody('UNAUTHORIZED', 'Send Authorization: Bearer <ADMIN_TOKEN or an API token>'),
    401,
  )
}

/** /api: who is calling (authenticate), then whether their scopes cover the route (route-scopes). */
export const apiAuth: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const access = await authenticate(c)
  if (access instanceof Response) return access
  const scope = scopeFor(c.req.method, c.req.path)
  if (!hasScope(access, scope)) {
    return c.json(
      errorBody(
        'FORBIDDEN',
        `This API token lacks the '${scope}' scope, which ${c.req.method} ${c.req.path} needs`,
        { scope },
      ),
      403,
    )
  }
  c.set('access', access)
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
