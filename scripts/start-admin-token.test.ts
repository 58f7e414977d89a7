import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MIN_ADMIN_TOKEN_LENGTH as WORKER_MIN } from '../src/http/admin-token'
// @ts-expect-error: a plain .mjs module without types
import { MIN_ADMIN_TOKEN_LENGTH, adminTokenProblem } from './lib/admin-token.mjs'

const root = join(import.meta.dirname, '..')

describe('adminTokenProblem (npm start)', () => {
  it('asks for as many characters as the Worker does', () => {
    expect(MIN_ADMIN_TOKEN_LENGTH).toBe(WORKER_MIN)
  })

  it('refuses a missing token and one under 32 characters, never quoting it', () => {
    expect(adminTokenProblem(undefined)).toBe('ADMIN_TOKEN is missing from .dev.vars')
    const short = 'x'.repeat(31)
    const problem = adminTokenProblem(short)
    expect(problem).toMatch(/^ADMIN_TOKEN in \.dev\.vars is shorter than 32 characters/)
    expect(problem).not.toContain(short)
    expect(adminTokenProblem('x'.repeat(32))).toBeUndefined()
  })
})

describe('npm start with a short ADMIN_TOKEN in .dev.vars', () => {
  let copy: string | undefined
  afterEach(() => {
    if (copy) rmSync(copy, { recursive: true, force: true })
    copy = undefined
  })

  // A copy of scripts/ without node_modules: start.mjs reads its .dev.vars from the copy, and if
  // it ever got past the check it would fail at once, unable to find wrangler, and serve nothing.
  function start(devVars: string) {
    copy = mkdtempSync(join(tmpdir(), 'automateos-start-'))
    cpSync(join(root, 'scripts'), join(copy, 'scripts'), { recursive: true })
    cpSync(join(root, 'package.json'), join(copy, 'package.json'))
    writeFileSync(join(copy, '.dev.vars'), devVars)
    const result = spawnSync(process.execPath, ['scripts/start.mjs'], {
      cwd: copy,
      encoding: 'utf8',
      env: { ...process.env, PORT: '8900' },
      timeout: 60_000,
    })
    return { ...result, devVars: readFileSync(join(copy, '.dev.vars'), 'utf8') }
  }

  it('refuses to start, says why without printing the token, and leaves the token alone', () => {
    const short = 'short-admin-token-31-characters'
    expect(short).toHaveLength(31)
    const result = start(`ADMIN_TOKEN=${short}\nENCRYPTION_KEY=${'k'.repeat(43)}\n`)
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'start: ADMIN_TOKEN in .dev.vars is shorter than 32 characters; delete its line and start again',
    )
    expect(result.stdout + result.stderr).not.toContain(short)
    expect(result.devVars).toContain(`ADMIN_TOKEN=${short}\n`)
  })

  it('lets a 32-character token past the check (it then stops only for want of wrangler)', () => {
    const result = start(`ADMIN_TOKEN=${'t'.repeat(32)}\nENCRYPTION_KEY=${'k'.repeat(43)}\n`)
    expect(result.stderr).not.toContain('ADMIN_TOKEN')
    expect(result.stderr).toContain('start: wrangler d1 migrations apply DB --local failed')
    expect(result.status).toBe(1)
  })
})
