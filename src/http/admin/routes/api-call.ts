import type { Context } from 'hono'
import type { AdminEnv } from '../admin-env'

export type ApiAnswer = {
  status: number
  body: any
  /** The field errors of a 4xx: `{ path, message }` per bad field. */
  fieldErrors: { path: string; message: string }[]
  /** The error's message for anything that is not a success. */
  message?: string
}

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
  // Imported when called: app.ts imports the admin pages, so a top-level import would be a cycle.
  const { app } = await import('../../../app')
  const url = new URL(path, c.req.url)
  const headers: Record<string, string> = { authorization: `Bearer ${c.env.ADMIN_TOKEN}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  const response = await app.fetch(
    new Request(url, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
    c.env,
    c.executionCtx,
  )
  const text = await response.text()
  let parsed: any = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = text
  }
  const error = response.ok ? undefined : parsed?.error
  return {
    status: response.status,
    body: parsed,
    fieldErrors: Array.isArray(error?.details)
      ? error.details.filter((d: any) => typeof d?.path === 'string')
      : [],
    message: response.ok ? undefined : (error?.message ?? `HTTP ${response.status}`),
  }
}
