import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrationProgress } from './migration-progress.mjs'

// What `wrangler d1 migrations apply DB --local` printed for a new database (wrangler 4.86): its
// table of pending migrations, then the whole table again after each one.
const full = readFileSync(
  join(import.meta.dirname, '..', 'test-fixtures', 'migrations-apply-output.txt'),
  'utf8',
)
const names = [
  '0000_init.sql',
  '0001_clustered-keys.sql',
  '0002_unfinished-runs-index.sql',
  '0003_run-waiting.sql',
  '0004_credentials.sql',
  '0005_schedules.sql',
  '0006_step-config-and-foreach-progress.sql',
  '0008_admin_sessions.sql',
  '0009_run_dismissals.sql',
  '0010_run-origins.sql',
  '0011_run-resume-key.sql',
]

describe('migrationProgress (npm start prints one line per migration)', () => {
  it('reads the pending migrations from the first table, in order, and counts each step', () => {
    expect(migrationProgress(full)).toEqual({ pending: names, done: 11, upToDate: false })
  })

  it('counts only the steps done so far while the output is still arriving', () => {
    const third = full
      .split('commands executed successfully')
      .slice(0, 4)
      .join('commands executed successfully')
    expect(migrationProgress(third)).toEqual({ pending: names, done: 3, upToDate: false })
    const beforeAny = full.slice(0, full.indexOf('commands executed successfully'))
    expect(migrationProgress(beforeAny).done).toBe(0)
  })

  it('says so when there is nothing to apply', () => {
    const output = [
      ' ⛅️ wrangler 4.86.0',
      '──────────────────',
      'Resource location: local ',
      '',
      '✅ No migrations to apply!',
    ].join('\n')
    expect(migrationProgress(output)).toEqual({ pending: [], done: 0, upToDate: true })
  })
})
