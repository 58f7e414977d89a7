import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { root } from './paths.mjs'

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Number((totalmem() / 2 ** 30).toFixed(1)),
    platform: `${process.platform} ${process.arch}`,
    // Other work on the machine skews every number: this says how busy it was at the start.
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  }
}

export function versions() {
  // workerd and miniflare as wrangler resolves them: the top-level copies may be other versions.
  const fromWrangler = createRequire(join(root, 'node_modules', 'wrangler', 'package.json'))
  const fromRoot = createRequire(join(root, 'package.json'))
  const version = (require, name) =>
    JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version
  return {
    node: process.versions.node,
    wrangler: version(fromRoot, 'wrangler'),
    workerd: version(fromWrangler, 'workerd'),
    miniflare: version(fromWrangler, 'miniflare'),
    autocannon: version(fromRoot, 'autocannon'),
  }
}
