#!/usr/bin/env node
// `npm start`: AutomateOS on this machine. Writes .dev.vars (ADMIN_TOKEN) when missing, applies
// the local D1 migrations, runs the Worker as `wrangler dev` does, loads examples/ into an empty database, prints
// how to use it, and calls the scheduled handler every 30 s (wrangler dev fires no cron triggers):
// it fires schedules and poll triggers and runs the sweeper.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { adminTokenProblem } from './lib/admin-token.mjs'
import { applyLocalMigrations } from './lib/apply-migrations.mjs'
import { ensureDevVars, randomSecret } from './lib/dev-vars.mjs'
import { exampleToLoad, examplesToCreate, tryItExample } from './lib/examples.mjs'
import { keySlots, varNames } from './lib/key-slots.mjs'
import { callBase, listenAddress, reachNote } from './lib/listen-address.mjs'
import {
  adminApi,
  countActiveRuns,
  portIsFree,
  readExamples,
  triggerScheduled,
} from './lib/local-api.mjs'
import { serverReady } from './lib/server-ready.mjs'
import { startDevServer } from './lib/wrangler.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
// 127.0.0.1 only unless HOST says otherwise (lib/listen-address.mjs says why).
const listen = listenAddress(process.env)
const { port, hostname } = listen
const apiBase = callBase(listen) // what this script calls
const publicBase = `http://localhost:${port}` // what it prints
const SWEEP_EVERY_MS = 30_000
const DRAIN_MS = 10_000
// Generous: on a loaded machine wrangler has taken minutes to load the Worker.
const START_MS = 600_000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

if (listen.warning) console.warn(`start: ${listen.warning}`)
if (!(await portIsFree(port, hostname))) {
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

await applyLocalMigrations(root).catch((error) => {
  console.error(`start: ${error.message}`)
  process.exit(1)
})

// Workflows created from here on are not the database's own: a script that waits for /healthz
// and creates one must not stop the examples from loading (lib/examples.mjs).
const startedAt = Date.now()

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
    hostname,
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
  await serverReady(wrangler, apiBase, startedAt + START_MS)
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
  printReady(workflows, tryItExample(examples))
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

/**
 * The stored workflows, after creating the examples when the database had none before this start;
 * those that need a credential not stored yet are created disabled.
 */
async function loadExamples(examples) {
  const newUrls = new Map()
  const api = adminApi(apiBase, token)
  let { workflows } = await api('GET', '/api/workflows')
  const toCreate = examplesToCreate(examples, workflows, startedAt)
  if (toCreate.length) {
    const { credentials } = await api('GET', '/api/credentials')
    const stored = credentials.map((c) => c.name)
    const waiting = []
    for (const example of toCreate) {
      const { definition, missing } = exampleToLoad(example, stored)
      const created = await api('POST', '/api/workflows', definition)
      newUrls.set(created.id, created.webhookUrl)
      if (missing.length) waiting.push(`${definition.name} (${missing.join(', ')})`)
    }
    console.log(`start: loaded ${toCreate.length} example workflows from examples/`)
    if (waiting.length) {
      console.log(
        `start: disabled until you add their credentials and enable them: ${waiting.join('; ')}`,
      )
    }
    ;({ workflows } = await api('GET', '/api/workflows'))
  }
  // D1 keeps each token's hash: a URL is known only from the answer that created it.
  return workflows
    .map((w) => ({ ...w, webhookUrl: newUrls.get(w.id) ?? null }))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
}

function printReady(workflows, tryIt) {
  const local = (url) => url.replace(apiBase, publicBase)
  const lines = [
    '',
    `AutomateOS is running on ${publicBase}`,
    '',
    `  Admin page   ${publicBase}/admin`,
    `  Admin token  ${token}   (kept in .dev.vars)`,
    reachNote(listen),
    '',
    workflows.length
      ? '  Workflows and their webhook URLs (each token is shown once, when it is made):'
      : '  No workflows yet: POST one to /api/workflows (see README.md).',
    ...workflows.map(
      (w) =>
        `    ${w.name}${w.enabled ? '' : ' (disabled)'}\n      ` +
        (w.webhookUrl
          ? local(w.webhookUrl)
          : `${publicBase}/hooks/${w.id}/<token>  (shown once, when made; rotate the token on its admin page for a new URL)`),
    ),
  ]
  // An example that runs on this machine, offline too, with its sample body, while it is still
  // there and enabled; otherwise the first enabled workflow with an empty body.
  const usable = workflows.filter((w) => w.enabled && w.webhookUrl)
  const example = usable.find((w) => w.name === tryIt?.definition.name)
  const target = example ?? usable[0]
  if (target) {
    const body = JSON.stringify(example ? tryIt.payload : {}).replaceAll("'", "'\\''")
    lines.push(
      '',
      `  Try it${example ? ` (${example.name}, with examples/payloads/${tryIt.file})` : ''}:`,
      `    curl -i -X POST '${local(target.webhookUrl)}' \\`,
      `      -H 'content-type: application/json' -d '${body}'`,
      `  then read the run at the statusUrl it answers with:`,
      `    curl -H 'Authorization: Bearer <admin token>' <statusUrl>`,
    )
  }
  console.log(lines.join('\n') + '\n')
}
