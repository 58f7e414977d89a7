import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { wranglerBin as projectWranglerBin } from '../../lib/wrangler.mjs'

export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const root = join(benchDir, '..', '..')
export const wranglerBin = projectWranglerBin(root)

/** .bench/ is git-ignored: the snapshot, state dirs and logs of one bench run live there. */
export const stamp = new Date().toISOString().replace(/[:.]/g, '-')
export const workDir = join(root, '.bench')
export const logDir = join(workDir, `logs-${stamp}`)
export const snapshotDir = join(workDir, `snapshot-${stamp}`)

// What the Workers under test are built from. `wrangler dev` rebuilds and restarts on every
// change to its sources, dropping local queue messages, so it runs on this copy: edits made
// while the bench runs neither reload it nor mix two versions into one result.
export const SNAPSHOT = [
  'src',
  'nodes',
  'triggers',
  'migrations',
  'wrangler.toml',
  'package.json',
  'tsconfig.json',
  'scripts/bench/bare-worker',
  'scripts/bench/engine-worker',
  // The soak scenario runs `npm start` itself from here.
  'scripts/start.mjs',
  'scripts/lib',
  'examples',
]

export function takeSnapshot() {
  for (const path of SNAPSHOT)
    cpSync(join(root, path), join(snapshotDir, path), {
      recursive: true,
      filter: (source) => !source.endsWith('.test.ts'),
    })
  // start.mjs runs the project's wrangler from <its root>/node_modules.
  symlinkSync(join(root, 'node_modules'), join(snapshotDir, 'node_modules'), 'dir')
}

/** Removes this run's snapshot and state dirs (logs stay when something failed). */
export function cleanWorkDir() {
  for (const entry of readdirSync(workDir))
    if (entry === `snapshot-${stamp}` || entry.startsWith(`state-${stamp}-`))
      rmSync(join(workDir, entry), { recursive: true, force: true })
}

export function statePath(name) {
  return join(workDir, `state-${stamp}-${name}`)
}

export function logPath(name) {
  mkdirSync(logDir, { recursive: true })
  return join(logDir, `${name}.log`)
}
