// The size Cloudflare limits a Worker by: its uploaded modules, gzip-compressed (source maps are
// not uploaded by `wrangler deploy` unless asked, so they do not count).
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const MiB = 1024 * 1024

/** Workers Free plan: 3 MiB per Worker after compression (Paid: 10 MiB). */
export const FREE_PLAN_GZIP_LIMIT = 3 * MiB

export function bundleSize(outdir) {
  let raw = 0
  let gzip = 0
  for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith('.map') || entry.name.endsWith('.md')) continue
    const bytes = readFileSync(join(entry.parentPath ?? entry.path, entry.name))
    raw += bytes.byteLength
    gzip += gzipSync(bytes, { level: 9 }).byteLength
  }
  return { raw, gzip }
}

export const formatMiB = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`
