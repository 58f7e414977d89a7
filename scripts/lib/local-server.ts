import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePorts } from './free-ports'

const root = join(import.meta.dirname, '..', '..')
const wranglerJs = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const quiet = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

export type LocalServer = { url: string; token: string; stop(): Promise<void> }

/**
 * AutomateOS under wrangler dev on two of the given ports (the server's and its inspector's),
 * with throw-away state (migrations applied) and its own admin token (32 characters at least, or
 * the admin API is off) and encryption key, for the tests that need a real server: the browser
 * tests and the workflows CLI's. stop() ends wrangler and its workerd (their own process group)
 * and deletes the state; it is also called when starting fails, whose error ends with the log.
 */
export async function startLocalServer(ports: readonly number[]): Promise<LocalServer> {
  // Several checkouts may run the suite at once: take the first ports nobody listens on.
  const [port, inspectorPort] = await freePorts(ports, 2)
  const state = mkdtempSync(join(tmpdir(), 'automateos-server-'))
  const token = `local-server-${crypto.randomUUID()}`
  const envFile = join(state, 'test.env')
  writeFileSync(envFile, `ADMIN_TOKEN=${token}\nENCRYPTION_KEY=${'k'.repeat(43)}\n`)
  const url = `http://127.0.0.1:${port}`
  let server: ChildProcess | undefined

  const stop = async () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit')
      try {
        process.kill(-server.pid, 'SIGTERM')
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-server!.pid!, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }, 5_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(state, { recursive: true, force: true })
  }

  try {
    const migrate = spawnSync(
      process.execPath,
      [wranglerJs, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
      { cwd: root, env: quiet, encoding: 'utf8', timeout: 60_000 },
    )
    if (migrate.status !== 0) throw new Error(`migrations: ${migrate.stderr}${migrate.stdout}`)
    const logFile = openSync(join(state, 'wrangler-dev.log'), 'w')
    server = spawn(
      process.execPath,
      [
        wranglerJs,
        'dev',
        '--persist-to',
        state,
        '--env-file',
        envFile,
        '--ip',
        '127.0.0.1',
        '--port',
        String(port),
        '--inspector-port',
        String(inspectorPort),
        '--show-interactive-dev-session=false',
        '--log-level',
        'warn',
      ],
      { cwd: root, env: quiet, detached: true, stdio: ['ignore', logFile, logFile] },
    )
    closeSync(logFile)
    // Generous: on a loaded machine wrangler dev has taken well over a minute to answer.
    const deadline = Date.now() + 160_000
    const log = () => readFileSync(join(state, 'wrangler-dev.log'), 'utf8').slice(-2000)
    for (;;) {
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.status === 200)
        .catch(() => false)
      if (ok) break
      if (server.exitCode !== null)
        throw new Error(`wrangler dev exited with ${server.exitCode}:\n${log()}`)
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${url}:\n${log()}`)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { url, token, stop }
}
