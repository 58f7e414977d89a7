#!/usr/bin/env node
// `npm start`: AutomateOS on this machine. Writes .dev.vars (ADMIN_TOKEN) when missing, applies
// the local D1 migrations, runs the Worker as `wrangler dev` does, loads examples/ into an empty database, prints
// how to use it, and runs the sweeper every 30 s (wrangler dev does not fire cron triggers).
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { adminTokenProblem } from './lib/admin-token.mjs'
import { ensureDevVars, randomSecret } from './lib/dev-vars.mjs'
import { keySlots, varNames } from './lib/key-slots.mjs'
import {
  adminApi,
  countActiveRuns,
  portIsFree,
  readExamples,
  triggerScheduled,
  waitForHealth,
} from './lib/local-api.mjs'
import { runWrangler, startDevServer } from './lib/wrangler.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const port = Number(process.env.PORT || 8787)
const apiBase = `http://127.0.0.1:${port}` // what this script calls
const publicBase = `http://localhost:${port}` // what it prints
const SWEEP_EVERY_MS = 30_000
const DRAIN_MS = 10_000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

if (!(await portIsFree(port, '127.0.0.1'))) {
  console.error(
    `start: port ${port} is in use; stop what runs there or start with PORT=<another port>`,
  )
  process.exit(1)
}

// ENCRYPTION_KEY encrypts stored credentials: replacing it would make them unreadable, so an
// existing one is never changed; after `npm run rotate-key` it may be in a later slot instead.
const devVars = join(root, '.dev.vars')
const hasKey = existsSync(devVars) && keySlots(varNames(readFileSync(devVars, 'utf8'))).length > 0
const { values, added } = ensureDevVars(devVars, {
  ADMIN_TOKEN: randomSecret,
  ...(hasKey ? {} : { ENCRYPTION_KEY: randomSecret }),
})
if (added.length) console.log(`start: wrote a new ${added.join(' and ')} to .dev.vars`)
const token = values.ADMIN_TOKEN
// The Worker disables its admin API and page with a shorter one (src/http/admin-token.ts).
const tokenProblem = adminTokenProblem(token)
if (tokenProblem) {
  console.error(`start: ${tokenProblem}`)
  process.exit(1)
}

// CI=1: wrangler asks before applying migrations unless it runs non-interactively.
await runWrangler(root, ['d1', 'migrations', 'apply', 'DB', '--local'], {
  ...process.env,
  CI: '1',
}).catch((error) => {
  console.error(`start: ${error.message}`)
  process.exit(1)
})

// The local queue lives in memory: each accepted run is recorded in D1 before the webhook is
// answered (INGEST_RECORD_FIRST), and one whose message was lost is re-enqueued by the sweeper
// once it has made no progress for SWEEP_AFTER_SECONDS: 300 s in production, 30 s here.
// PUBLIC_URL is where a run's resume URLs point (a scheduled run has no request to take it from).
// The server is `wrangler dev` without the DevTools inspector (scripts/lib/dev-server.mjs says
// why); INSPECTOR_PORT=<port> turns it back on for debugging.
// It gets its own process group, so Ctrl-C reaches this script first: it lets the runs in
// flight finish, then stops the server.
const wrangler = startDevServer(
  root,
  {
    port,
    vars: {
      SWEEP_AFTER_SECONDS: '30',
      INGEST_RECORD_FIRST: 'true',
      PUBLIC_URL: process.env.PUBLIC_URL || publicBase,
    },
    inspectorPort: Number(process.env.INSPECTOR_PORT) || undefined,
  },
  { detached: true },
)

let stopping = false
let ready = false
let sweepTimer
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    if (stopping) return wrangler.kill('SIGTERM') // asked twice: stop now
    stopping = true
    clearInterval(sweepTimer)
    if (ready) await drain()
    wrangler.kill('SIGTERM')
  })
}
wrangler.on('exit', (code, signal) => process.exit(stopping ? 0 : (code ?? (signal ? 1 : 0))))
process.on('exit', () => {
  if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill('SIGTERM')
})

try {
  await waitForHealth(apiBase, { stopped: () => stopping })
} catch (error) {
  if (!stopping) {
    console.error(`start: ${error.message}; stopping wrangler`)
    stopping = true
    wrangler.kill('SIGTERM')
  }
}
if (!stopping) {
  let examples = []
  let workflows = []
  try {
    examples = readExamples(join(root, 'examples'), publicBase)
    workflows = await loadExamples(examples)
  } catch (error) {
    console.error(`start: ${error.message}`)
  }
  printReady(workflows, examples)
  ready = true
  const sweep = () => triggerScheduled(apiBase).catch(() => {})
  sweep() // runs left behind by the last session
  sweepTimer = setInterval(sweep, SWEEP_EVERY_MS)
}

/**
 * Waits (up to DRAIN_MS) until no run is queued or running, so no accepted run is left only in
 * the in-memory queue; whatever is still unfinished is swept up by the next `npm start`.
 */
async function drain() {
  console.log('start: stopping once the runs in flight finish (Ctrl-C again to stop now)')
  const api = adminApi(apiBase, token)
  const deadline = Date.now() + DRAIN_MS
  // The queue hands messages over after up to 1 s (max_batch_timeout), so wait that long first.
  await sleep(1500)
  while (Date.now() < deadline) {
    if ((await countActiveRuns(api).catch(() => 0)) === 0) return
    await sleep(250)
  }
  console.log('start: some runs are unfinished; the sweeper resumes them after the next npm start')
}

/** The stored workflows, after creating the examples when there are none. */
async function loadExamples(examples) {
  const api = adminApi(apiBase, token)
  let { workflows } = await api('GET', '/api/workflows')
  if (workflows.length === 0) {
    for (const example of examples) await api('POST', '/api/workflows', example.definition)
    console.log(`start: loaded ${examples.length} example workflows from examples/`)
    ;({ workflows } = await api('GET', '/api/workflows'))
  }
  return workflows.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

function printReady(workflows, examples) {
  const local = (url) => url.replace(apiBase, publicBase)
  const lines = [
    '',
    `AutomateOS is running on ${publicBase}`,
    '',
    `  Admin page   ${publicBase}/admin`,
    `  Admin token  ${token}   (kept in .dev.vars)`,
    '',
    workflows.length
      ? '  Workflows and their webhook URLs:'
      : '  No workflows yet: POST one to /api/workflows (see README.md).',
    ...workflows.map(
      (w) => `    ${w.name}${w.enabled ? '' : ' (disabled)'}\n      ${local(w.webhookUrl)}`,
    ),
  ]
  // The first example when it is still there, with its sample body; otherwise the first listed.
  const first = examples[0]
  const target = workflows.find((w) => w.name === first?.definition.name) ?? workflows[0]
  if (target) {
    const payload =
      target.name === first?.definition.name && first.payload !== undefined ? first.payload : {}
    const body = JSON.stringify(payload).replaceAll("'", "'\\''")
    lines.push(
      '',
      `  Try it:`,
      `    curl -i -X POST '${local(target.webhookUrl)}' \\`,
      `      -H 'content-type: application/json' -d '${body}'`,
      `  then read the run at the statusUrl it answers with:`,
      `    curl -H 'Authorization: Bearer <admin token>' <statusUrl>`,
    )
  }
  console.log(lines.join('\n') + '\n')
}
