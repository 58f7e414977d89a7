import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
const wranglerJs = join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const quiet = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

export type LocalServer = { url: string; token: string; stop(): Promise<void> }

/**
 * AutomateOS under wrangler dev on the given ports, with throw-away state (migrations applied)
 * and its own admin token and encryption key. stop() ends wrangler and its workerd (their own
 * process group) and deletes the state; it is also called when starting fails.
 */
export async function startLocalServer(ports: readonly number[]): Promise<LocalServer> {
  // Several checkouts may run the suite at once: take the first pair of ports nobody listens on.
  const pair = await freePair(ports)
  if (!pair) throw new Error(`no two free ports among ${ports.join(', ')}`)
  const [port, inspectorPort] = pair
  const state = mkdtempSync(join(tmpdir(), 'automateos-browser-'))
  const token = `browser-${crypto.randomUUID()}`
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
      { cwd: root, env: quiet, detached: true, stdio: 'ignore' },
    )
    const deadline = Date.now() + 100_000
    for (;;) {
      const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
        .then((r) => r.status === 200)
        .catch(() => false)
      if (ok) break
      if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}`)
      if (Date.now() > deadline) throw new Error(`wrangler dev did not answer on ${url}`)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { url, token, stop }
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

async function freePair(ports: readonly number[]): Promise<[number, number] | undefined> {
  for (let i = 0; i + 1 < ports.length; i += 2)
    if ((await isFree(ports[i]!)) && (await isFree(ports[i + 1]!)))
      return [ports[i]!, ports[i + 1]!]
  return undefined
}
