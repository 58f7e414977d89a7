import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { devServerArgs } from '../../lib/wrangler.mjs'
import { freePort, releasePort } from './ports.mjs'
import { logPath, snapshotDir, statePath, wranglerBin } from './paths.mjs'
import { runCommand, startProcess, stopProcess, tail } from './processes.mjs'

const READY_TIMEOUT_MS = 120_000
const START_ATTEMPTS = 4
// No telemetry and no prompts: the bench runs offline and unattended.
const ENV = { WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1' }

/**
 * One config (a path in the snapshot) served as `npm start` serves AutomateOS (wrangler dev
 * without the inspector, scripts/lib/dev-server.mjs) on a free port of the bench's range, with
 * its own state dir (migrated first when it has D1), so neither the user's .wrangler/state nor
 * .dev.vars plays any part. `isOurs(url)` must tell this server from another one on the same
 * port, since other tools start dev servers too; the default asks GET / for the BENCH_ID var the
 * bench Workers echo.
 */
export async function startWorker({ name, config, d1 = false, vars = {}, isOurs }) {
  const persistTo = statePath(name)
  const logFile = logPath(name)
  const common = ['-c', config, '--persist-to', persistTo]
  const env = { ...ENV, WRANGLER_LOG_PATH: logPath(`${name}-debug`) }
  const options = { cwd: snapshotDir, env, logFile }
  if (d1) await runCommand(process.execPath, [wranglerBin, ...migrate(common)], options)

  const id = randomBytes(8).toString('hex')
  const allVars = { BENCH_ID: id, ...vars }
  isOurs ??= async (url) => (await fetch(url, { signal: TIMEOUT() }).then((r) => r.text())) === id
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const listen = await freePort()
    const args = devServerArgs({
      config,
      port: listen,
      vars: allVars,
      persistTo,
      // Per-request log lines would cost the dev server CPU the Worker should have.
      logLevel: 'warn',
      // The snapshot never changes; a reload would drop the local queue's messages.
      watch: false,
    })
    const logStart = existsSync(logFile) ? statSync(logFile).size : 0
    const child = startProcess(process.execPath, args, options)
    const url = `http://127.0.0.1:${listen}`
    if (await waitReady(url, child, { logFile, logStart }, isOurs)) {
      return {
        url,
        logFile,
        pid: child.pid,
        async stop() {
          await stopProcess(child)
          releasePort(listen)
          rmSync(persistTo, { recursive: true, force: true })
        },
      }
    }
    // Lost a race for the port with another process: try the next one.
    await stopProcess(child)
  }
  throw new Error(`wrangler dev for ${name} found no free port:\n${tail(logFile)}`)
}

const TIMEOUT = () => AbortSignal.timeout(2_000)
const migrate = (common) => ['d1', 'migrations', 'apply', 'DB', '--local', ...common]

/** True once our server answers; false when the port turned out to be taken. */
async function waitReady(url, child, { logFile, logStart }, isOurs) {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const log = readFileSync(logFile).subarray(logStart).toString()
      if (/address already in use|EADDRINUSE/i.test(log)) return false
      throw new Error(`wrangler dev exited:\n${tail(logFile)}`)
    }
    if (await isOurs(url).catch(() => false)) return true
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(
    `wrangler dev not ready at ${url} after ${READY_TIMEOUT_MS} ms:\n${tail(logFile)}`,
  )
}
