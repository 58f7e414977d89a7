// Runs the project's own wrangler (node_modules), with the current Node, without npx in between.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The project's own wrangler entry point, run with the current Node. */
export const wranglerBin = (root) => join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js')

/** The local server script (dev-server.mjs): `wrangler dev` without the inspector. */
export const devServerScript = join(dirname(fileURLToPath(import.meta.url)), 'dev-server.mjs')

/**
 * The Worker in `root` served locally as `wrangler dev` would (see dev-server.mjs), with an IPC
 * channel on which it says when it is ready (serverReady in ./server-ready.mjs waits for that).
 * `options`: `{ port, hostname?, vars, inspectorPort?, persistTo?, config?, logLevel?, envFiles?, watch? }`.
 * `detached`: in its own process group, so a Ctrl-C in the terminal reaches only the caller.
 */
export function startDevServer(root, options, { env = process.env, detached = false } = {}) {
  return spawn(process.execPath, devServerArgs(options), {
    cwd: root,
    env,
    detached,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
}

/** The node arguments that run dev-server.mjs with `options`. */
export const devServerArgs = (options) => [devServerScript, JSON.stringify(options)]
