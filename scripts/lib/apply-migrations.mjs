// `wrangler d1 migrations apply DB --local` for `npm start`, printing one line per migration
// applied rather than wrangler's tables; its whole output only when it fails.
import { spawn } from 'node:child_process'
import { migrationProgress } from './migration-progress.mjs'
import { wranglerBin } from './wrangler.mjs'

const ARGS = ['d1', 'migrations', 'apply', 'DB', '--local']

/** Applies the local D1 migrations in `root`; `print` gets each line to show. Rejects on failure. */
export function applyLocalMigrations(root, { env = process.env, print = console.log } = {}) {
  return new Promise((resolve, reject) => {
    // CI=1: wrangler asks before applying migrations unless it runs non-interactively.
    const child = spawn(process.execPath, [wranglerBin(root), ...ARGS], {
      cwd: root,
      env: { ...env, CI: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    let printed = 0
    const collect = (chunk) => {
      output += chunk
      const { pending, done } = migrationProgress(output)
      for (; printed < done; printed++) print(`start: applied migration ${pending[printed]}`)
    }
    child.stdout.setEncoding('utf8').on('data', collect)
    child.stderr.setEncoding('utf8').on('data', collect)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code !== 0) {
        console.error(output.trimEnd())
        const how = signal ?? `exit code ${code}`
        return reject(new Error(`wrangler ${ARGS.join(' ')} failed (${how})`))
      }
      const { pending, upToDate } = migrationProgress(output)
      if (upToDate || pending.length === 0) print('start: the local database is up to date')
      resolve()
    })
  })
}
