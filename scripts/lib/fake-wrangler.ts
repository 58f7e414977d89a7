import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')

/**
 * A copy of what `npm run deploy` reads and writes (it edits wrangler.toml), with the fake wrangler
 * first on PATH. `calls()` lists what wrangler was asked, in order.
 */
export function deployCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'automateos-deploy-'))
  for (const entry of ['scripts', 'wrangler.toml', 'package.json'])
    cpSync(join(root, entry), join(dir, entry), { recursive: true })
  const bin = join(dir, 'fake-bin')
  mkdirSync(bin)
  copyFileSync(join(root, 'scripts', 'test-fixtures', 'fake-wrangler.mjs'), join(bin, 'wrangler'))
  chmodSync(join(bin, 'wrangler'), 0o755)
  const log = join(dir, 'wrangler-calls.jsonl')
  return {
    dir,
    env(extra: Record<string, string> = {}) {
      const env: Record<string, string | undefined> = { ...process.env }
      // As a person at a terminal would run it (the test runner sets CI).
      for (const name of ['CI', 'AUTOMATEOS_URL', 'AUTOMATEOS_TOKEN']) delete env[name]
      return { ...env, PATH: `${bin}:${process.env.PATH}`, FAKE_WRANGLER_LOG: log, ...extra }
    },
    calls: (): { args: string[]; secretNames?: string[] }[] =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line))
        : [],
  }
}
