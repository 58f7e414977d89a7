// The admin API of a running AutomateOS, for the command-line tools.
import { existsSync, readFileSync } from 'node:fs'

export const DEFAULT_URL = 'http://localhost:8787'

/**
 * Where and with what token: --url/--token, else AUTOMATEOS_URL/AUTOMATEOS_TOKEN, else the local
 * AutomateOS on :8787 with the ADMIN_TOKEN `npm start` wrote to .dev.vars.
 */
export function resolveTarget({ url, token }, env, devVarsPath) {
  const resolvedUrl = (url ?? env.AUTOMATEOS_URL ?? DEFAULT_URL).replace(/\/+$/, '')
  let resolvedToken = token ?? env.AUTOMATEOS_TOKEN
  if (!resolvedToken && existsSync(devVarsPath)) {
    const match = /^[ \t]*(?:export[ \t]+)?ADMIN_TOKEN[ \t]*=[ \t]*["']?([^"'\s]+)/m.exec(
      readFileSync(devVarsPath, 'utf8'),
    )
    resolvedToken = match?.[1]
  }
  return { url: resolvedUrl, token: resolvedToken }
}

export class ApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path}: ${body?.error?.message ?? `HTTP ${status}`}`)
    this.status = status
    this.body = body
  }
}

export function automateos({ url, token }) {
  async function request(method, path, body) {
    const send = () =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      })
    let response
    try {
      // A GET changes nothing, so one that failed on the way (a kept-alive connection closed by
      // the server as it was reused) is sent again; a POST, PUT or DELETE is not.
      response = await send().catch((error) => (method === 'GET' ? send() : Promise.reject(error)))
    } catch (error) {
      throw new Error(
        `cannot reach AutomateOS at ${url} (${error.cause?.code ?? error.message}); is it running?`,
      )
    }
    const data = response.status === 204 ? null : await response.json().catch(() => null)
    if (!response.ok) throw new ApiError(method, path, response.status, data)
    return data
  }
  return {
    openapi: () => request('GET', '/api/openapi.json'),
    list: async () => (await request('GET', '/api/workflows')).workflows,
    create: (definition) => request('POST', '/api/workflows', definition),
    replace: (id, definition) =>
      request('PUT', `/api/workflows/${encodeURIComponent(id)}`, definition),
    remove: (id) => request('DELETE', `/api/workflows/${encodeURIComponent(id)}`),
  }
}
