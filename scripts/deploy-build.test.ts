import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module without types
import { FREE_PLAN_GZIP_LIMIT, bundleSize, formatMiB } from './lib/bundle-size.mjs'

it('wrangler deploy --dry-run builds the Worker offline, within the Free plan size limit', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'automateos-build-'))
  try {
    const output = execFileSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', outdir], {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' },
    })
    expect(output).toMatch(/--dry-run: exiting now/)
    expect(output).toMatch(/env\.RUNS \(automateos-runs\)/)
    expect(output).toMatch(/env\.DB \(automateos\)/)
    const files = readdirSync(outdir)
    expect(files).toContain('index.js')
    expect(existsSync(join(outdir, 'index.js'))).toBe(true)

    const size = bundleSize(outdir)
    const limit = FREE_PLAN_GZIP_LIMIT
    console.log(
      `Worker bundle: ${formatMiB(size.raw)}, ${formatMiB(size.gzip)} gzipped ` +
        `(${((100 * size.gzip) / limit).toFixed(0)}% of the Free plan's 3 MiB)`,
    )
    expect(size.gzip, 'the gzipped Worker must fit the Workers Free plan (3 MiB)').toBeLessThan(
      limit,
    )
    // What wrangler itself reports, so our figure cannot drift far from the one Cloudflare checks.
    const reported = /Total Upload: [\d.]+ KiB \/ gzip: ([\d.]+) KiB/.exec(output)
    expect(reported, 'wrangler prints the upload size').not.toBeNull()
    expect(Math.abs(Number(reported![1]) * 1024 - size.gzip)).toBeLessThan(size.gzip * 0.1)
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
})
