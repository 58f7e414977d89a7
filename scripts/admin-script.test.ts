import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM script without type declarations
import {
  BROWSER_DIR,
  GENERATED_PATH,
  checkAdminScript,
  renderAdminScript,
} from './admin-script.mjs'

/** Runs the real script in `dir`; its exit status and what it said on stderr. */
function bundleIn(dir: string, ...args: string[]) {
  try {
    execFileSync('node', [`${dir}/scripts/bundle-admin-script.mjs`, ...args], { stdio: 'pipe' })
    return { status: 0, stderr: '' }
  } catch (error) {
    const failed = error as { status: number; stderr: Buffer }
    return { status: failed.status, stderr: String(failed.stderr) }
  }
}

describe('admin script bundle', () => {
  it('renders one exported string the layout can send inline', () => {
    const result = renderAdminScript('(() => { console.log("hi") })();\n')
    expect(result.ok).toBe(true)
    expect(result.text).toContain(
      'export const ADMIN_SCRIPT = "(() => { console.log(\\"hi\\") })();\\n"',
    )
  })

  it('refuses a bundle that would end its <script> element early', () => {
    const result = renderAdminScript('const s = "</script><script>alert(1)"')
    expect(result.ok).toBe(false)
    expect(result.errors[0]).toMatch(/cannot be inline/)
  })

  it('--check fails when the generated module is stale, and passes when it is current', () => {
    const current = renderAdminScript('one();\n').text
    expect(checkAdminScript('one();\n', current).ok).toBe(true)
    const stale = checkAdminScript('one();\ntwo();\n', current)
    expect(stale.ok).toBe(false)
    expect(stale.errors[0]).toMatch(/is stale/)
  })

  it(`the committed ${GENERATED_PATH} matches ${BROWSER_DIR}/`, () => {
    expect(bundleIn('.', '--check')).toEqual({ status: 0, stderr: '' })
  })

  it('the CLI exits non-zero in --check mode on a stale bundle, and rewrites it without', () => {
    // The real script over a copy of the repo's layout, whose browser code then changes.
    const dir = mkdtempSync(join(tmpdir(), 'automateos-admin-script-'))
    try {
      execFileSync('mkdir', [
        '-p',
        `${dir}/scripts`,
        `${dir}/${BROWSER_DIR}`,
        `${dir}/src/generated`,
      ])
      execFileSync('cp', [
        'scripts/admin-script.mjs',
        'scripts/bundle-admin-script.mjs',
        `${dir}/scripts/`,
      ])
      execFileSync('cp', ['-r', `${BROWSER_DIR}/.`, `${dir}/${BROWSER_DIR}/`])
      execFileSync('cp', [GENERATED_PATH, `${dir}/${GENERATED_PATH}`])
      symlinkSync(resolve('node_modules'), `${dir}/node_modules`)
      expect(bundleIn(dir, '--check').status).toBe(0)

      const main = `${dir}/${BROWSER_DIR}/main.ts`
      writeFileSync(main, readFileSync(main, 'utf8') + "\nconsole.info('a new feature')\n")
      const stale = bundleIn(dir, '--check')
      expect(stale.status).toBe(1)
      expect(stale.stderr).toMatch(/admin-script\.ts is stale/)

      expect(bundleIn(dir).status).toBe(0)
      expect(readFileSync(`${dir}/${GENERATED_PATH}`, 'utf8')).toContain('a new feature')
      expect(bundleIn(dir, '--check').status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('npm start, test and deploy bundle it; npm test first type-checks it with DOM types', () => {
    // esbuild strips types without checking them; `npm test` runs this tsc before vitest.
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.scripts.test).toContain(`tsc --noEmit -p ${BROWSER_DIR}`)
    for (const script of ['start', 'test', 'deploy']) {
      expect(pkg.scripts[script]).toContain('node scripts/bundle-admin-script.mjs')
    }
  })
})
