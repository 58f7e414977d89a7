import type { MiddlewareHandler } from 'hono'
import type { Env } from '../env'
import { secretsEqual } from '../lib/ids'
import { errorBody } from './errors'

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; anything else is 401. */
export const adminAuth: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  const expected = c.env.ADMIN_TOKEN
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(.+)$/i.exec(header)
  if (!expected || !match || !(await secretsEqual(match[1]!.trim(), expected))) {
    c.header('WWW-Authenticate', 'Bearer realm="automateos"')
    const message = expected
      ? 'Send Authorization: Bearer <ADMIN_TOKEN>'
      : 'ADMIN_TOKEN is not set on this Worker (npm start writes it to .dev.vars; in production: wrangler secret put ADMIN_TOKEN)'
    return c.json(errorBody('UNAUTHORIZED', message), 401)
  }
  await next()
}
