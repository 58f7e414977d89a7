import type { Context, MiddlewareHandler } from 'hono'
import type { AdminEnv, ApiFetch } from '../admin-env'
import { type ApiAnswer, answerOf } from '../lib/api-answer'

/**
 * What a form changes goes through the admin API itself, in-process: the page gets exactly the
 * API's validation, save-time checks and side effects (caches, schedules) with no second copy
 * of them, and the answer's field errors are what the page shows. The admin token used here is
 * the Worker's own and never reaches the browser; the session was checked before.
 */
export async function apiCall(
  c: Context<AdminEnv>,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer> {
  const url = new URL(path, c.req.url)
  const headers: Record<string, string> = { authorization: `Bearer ${c.env.ADMIN_TOKEN}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await c.var.api(
    new Request(url, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
    c.env,
    c.executionCtx,
  )
  return answerOf(response)
}

/** Hands the pages the app's fetch, for apiCall; src/app.ts puts it in front of /admin. */
export function provideApi(api: ApiFetch): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    c.set('api', api)
    await next()
  }
}
