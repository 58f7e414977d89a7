import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { freePorts } from './lib/free-ports'
import { LOCAL_SERVER_START_MS } from './lib/local-server'

// Issue 22: under `npm start` a poll trigger fires on its own. wrangler dev fires no cron
// triggers; start.mjs calls the Worker's scheduled handler on a timer, and the poll trigger rides
// on it. This test never calls the handler: it creates the workflow, changes the API's data, and
// waits for the run.

const root = join(import.meta.dirname, '..')
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

let copy = ''
let start: ReturnType<typeof spawn> | undefined
let api: Server | undefined

afterAll(async () => {
  if (start && start.exitCode === null) {
    // Twice: the first asks start.mjs to drain, the second stops wrangler at once.
    start.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    start.kill('SIGTERM')
    await new Promise((resolve) => start!.once('exit', resolve))
  }
  api?.close()
  if (copy) rmSync(copy, { recursive: true, force: true })
})

const waitFor = async <T>(what: string, check: () => Promise<T | undefined>, ms: number) => {
  const deadline = Date.now() + ms
  for (;;) {
    const found = await check().catch(() => undefined)
    if (found !== undefined) return found
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

it(
  'polls a trigger on every "1m" without anyone calling the scheduled handler',
  async () => {
    // A copy, so npm start's .dev.vars and local D1 are its own.
    copy = mkdtempSync(join(tmpdir(), 'automateos-start-polls-'))
    for (const entry of ['scripts', 'wrangler.toml', 'package.json', 'tsconfig.json'])
      cpSync(join(root, entry), join(copy, entry), { recursive: true })
    for (const entry of ['src', 'nodes', 'triggers', 'migrations', 'node_modules'])
      symlinkSync(join(root, entry), join(copy, entry))
    // No examples: the database starts empty.
    const [port, apiPort] = await freePorts(range(8940, 8959), 2)

    // The orders API the trigger polls, on this machine.
    let orders: { id: number }[] = []
    let requests = 0
    api = createServer((_request, response) => {
      requests += 1
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify({ orders }))
    })
    await new Promise<void>((resolve) => api!.listen(apiPort, '127.0.0.1', resolve))

    let log = ''
    start = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: copy,
      env: { ...process.env, PORT: String(port), CI: '1', WRANGLER_SEND_METRICS: 'false' },
    })
    start.stdout!.on('data', (chunk) => (log += chunk))
    start.stderr!.on('data', (chunk) => (log += chunk))
    await waitFor(
      `npm start (log: ${log.slice(-2000)})`,
      async () => (log.includes('AutomateOS is running') ? true : undefined),
      LOCAL_SERVER_START_MS,
    )
    const token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(join(copy, '.dev.vars'), 'utf8'))![1]!
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${port}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      })
    const created = await call('/api/workflows', {
      method: 'POST',
      body: JSON.stringify({
        name: 'polled orders',
        trigger: {
          type: 'poll',
          source: 'http-poll',
          every: '1m',
          config: { url: `http://127.0.0.1:${apiPort}/orders`, items: 'orders', id: 'id' },
        },
        nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
      }),
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }

    // The first tick records the baseline; then an order comes, and a later tick starts its run.
    await waitFor('the baseline poll', async () => (requests > 0 ? true : undefined), 120_000)
    orders = [{ id: 1 }]
    const run = await waitFor(
      'the run of order 1',
      async () => {
        const answer = await call(`/api/runs?workflowId=${id}`)
        const { runs } = (await answer.json()) as { runs: { id: string; status: string }[] }
        return runs[0]
      },
      240_000,
    )
    const answer = await call(`/api/runs/${run.id}`)
    expect(await answer.json()).toMatchObject({
      trigger: { type: 'poll', source: 'http-poll', itemId: '1' },
      input: { id: 1 },
    })
  },
  LOCAL_SERVER_START_MS + 420_000,
)
