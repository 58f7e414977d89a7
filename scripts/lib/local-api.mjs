// Talks to the local Worker over HTTP: health, the admin API, the scheduled trigger.
import { readFileSync, readdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'

export function adminApi(base, token) {
  return async function request(method, path, body) {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = await response.json().catch(() => null)
    if (!response.ok) {
      const reason = data?.error?.message ?? `HTTP ${response.status}`
      throw new Error(`${method} ${path}: ${reason}`)
    }
    return data
  }
}

/** Resolves once GET /healthz answers 200; rejects after `timeoutMs` or when `stopped()` is true. */
export async function waitForHealth(base, { timeoutMs = 120_000, stopped = () => false } = {}) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && !stopped()) {
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) })
      if (response.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(stopped() ? 'wrangler stopped' : `${base}/healthz did not answer in time`)
}

/**
 * examples/*.json, sorted by file name, with http://localhost:8787 in them pointed at `base`
 * (the server's own address when PORT is set). Each may have a sample webhook body in
 * examples/payloads/<same name>.json.
 */
export function readExamples(dir, base) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      definition: JSON.parse(
        readFileSync(join(dir, file), 'utf8').replaceAll('http://localhost:8787', base),
      ),
      payload: readOptional(join(dir, 'payloads', file)),
    }))
}

function readOptional(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    if (error.code === 'ENOENT') return undefined
    throw error
  }
}

/** How many runs are queued or running (up to 200 of each). */
export async function countActiveRuns(api) {
  const pages = await Promise.all(
    ['queued', 'running'].map((status) => api('GET', `/api/runs?status=${status}&limit=200`)),
  )
  return pages.reduce((sum, page) => sum + page.runs.length, 0)
}

/** Asks the Worker to run its `scheduled` handler (the sweeper), as the cron would in production. */
export async function triggerScheduled(base) {
  const response = await fetch(`${base}/cdn-cgi/handler/scheduled`, {
    signal: AbortSignal.timeout(10_000),
  })
  await response.body?.cancel()
  return response.ok
}

/** Whether nothing listens on host:port yet (wrangler would fail, and /healthz would be another server's). */
export function portIsFree(port, host) {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => server.close(() => resolve(true)))
  })
}
