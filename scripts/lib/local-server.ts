import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePorts } from './free-ports'
import { serverReady } from './server-ready.mjs'

const here = join(import.meta.dirname, '..', '..')
const quiet = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

/**
 * How long startLocalServer waits for the server before it gives up, stops it and throws with its
 * log. A test's beforeAll gives it this plus LOCAL_SERVER_HOOK_MARGIN_MS, so this deadline, with its
 * clear message, is the one that fires, and never a shorter one: on a machine with one core kept
 * busy and a second server running, wrangler has taken minutes to load the Worker.
 */
export const LOCAL_SERVER_START_MS = 300_000
export const LOCAL_SERVER_HOOK_MARGIN_MS = 30_000

export type LocalServer = { url: string; token: string; stop(): Promise<void> }

export type LocalServerOptions = {
  /** The project to serve: a copy, for a test that edits its files (default: this checkout). */
  root?: string
  /**
   * The admin token and encryption key: by default fresh ones in a throw-away env file; with
   * 'dev-vars', root/.dev.vars, read and watched as under `npm start` (ADMIN_TOKEN must be there).
   */
  secrets?: 'dev-vars'
}

/**
 * AutomateOS as `npm start` serves it (scripts/lib/dev-server.mjs: wrangler without the inspector)
 * on the first free one of `ports`, with throw-away state (migrations applied), for the tests that
 * need a real server: the browser tests, the workflows CLI's and rotate-key's. It waits on
 * wrangler's ready signal, then on one /healthz answer however slow. stop() ends the server and
 * its workerd (their own process group) and deletes the state; a failed start calls it itself, so
 * a test's afterAll has nothing to stop, and its error ends with the server's log.
 */
export async function startLocalServer(
  ports: readonly number[],
  { root = here, secrets }: LocalServerOptions = {},
): Promise<LocalServer> {
  const deadline = Date.now() + LOCAL_SERVER_START_MS
  // Several checkouts may run the suite at once: take the first port nobody listens on.
  const [port] = await freePorts(ports, 1)
  const state = mkdtempSync(join(tmpdir(), 'automateos-server-'))
  const logPath = join(state, 'server.log')
  const url = `http://127.0.0.1:${port}`
  let token: string
  let envFiles: string[] | undefined
  if (secrets === 'dev-vars') {
    token = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(join(root, '.dev.vars'), 'utf8'))?.[1] ?? ''
  } else {
    // 32 characters at least, or the admin API is off.
    token = `local-server-${crypto.randomUUID()}`
    envFiles = [join(state, 'test.env')]
    writeFileSync(envFiles[0]!, `ADMIN_TOKEN=${token}\nENCRYPTION_KEY=${'k'.repeat(43)}\n`)
  }
  let server: ChildProcess | undefined

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-server!.pid!, signal)
    } catch {
      // Already gone.
    }
  }
  // Should this test process end without stop() (a hook timed out), the server ends with it.
  const onExit = () => killGroup('SIGKILL')
  const stop = async () => {
    process.off('exit', onExit)
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = once(server, 'exit')
      killGroup('SIGTERM')
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(state, { recursive: true, force: true })
  }
  const log = () => readFileSync(logPath, 'utf8').slice(-2000)

  try {
    const migrate = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
        'd1',
        'migrations',
        'apply',
        'DB',
        '--local',
        '--persist-to',
        state,
      ],
      { cwd: root, env: quiet, encoding: 'utf8', timeout: LOCAL_SERVER_START_MS / 2 },
    )
    if (migrate.status !== 0) throw new Error(`migrations: ${migrate.stderr}${migrate.stdout}`)
    const logFile = openSync(logPath, 'w')
    const options = {
      port,
      persistTo: state,
      envFiles,
      // Reloading on a change is for `npm start`; a test's server only watches .dev.vars when
      // it reads it (rotate-key edits it).
      watch: secrets === 'dev-vars',
      logLevel: 'warn',
    }
    server = spawn(process.execPath, ['scripts/lib/dev-server.mjs', JSON.stringify(options)], {
      cwd: root,
      env: quiet,
      detached: true,
      stdio: ['ignore', logFile, logFile, 'ipc'],
    })
    closeSync(logFile)
    process.on('exit', onExit)
    await serverReady(server, url, deadline).catch((error: Error) => {
      throw new Error(`${error.message}:\n${log()}`)
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { url, token, stop }
}
