import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'

it('wrangler deploy --dry-run builds the Worker offline', () => {
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
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
})
