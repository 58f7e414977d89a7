import { randomBytes } from 'node:crypto'
import { startWorker } from './wrangler.mjs'

/**
 * AutomateOS itself, served as `npm start` serves it, on a fresh migrated state dir and with an
 * admin token of its own, so neither the user's data nor their .dev.vars is involved.
 * `recordFirst: false` is production's ingest: the answer first, the run row written after it.
 */
export async function startAutomateOS(name, { recordFirst = true } = {}) {
  const token = randomBytes(24).toString('hex')
  const api = (url, path, init = {}) =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    })
  const server = await startWorker({
    name,
    config: 'wrangler.toml',
    d1: true,
    // The settings `npm start` runs with (scripts/start.mjs), so the bench measures what users run.
    vars: {
      ADMIN_TOKEN: token,
      INGEST_RECORD_FIRST: String(recordFirst),
      SWEEP_AFTER_SECONDS: '30',
    },
    // Only our instance accepts our token.
    isOurs: async (url) => (await api(url, '/api/nodes')).status === 200,
  })
  return {
    ...server,
    api: (path, init) => api(server.url, path, init),
    async createWorkflow(definition) {
      const response = await api(server.url, '/api/workflows', {
        method: 'POST',
        body: JSON.stringify(definition),
      })
      if (response.status !== 201)
        throw new Error(`POST /api/workflows: ${response.status} ${await response.text()}`)
      return response.json()
    },
  }
}
