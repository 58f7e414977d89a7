import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { deployCopy } from './lib/fake-wrangler'

let copies: string[] = []
afterEach(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true })
  copies = []
})

function deploy(settings: object = {}, args: string[] = []) {
  const copy = deployCopy()
  copies.push(copy.dir)
  const run = () =>
    spawnSync(process.execPath, ['scripts/deploy.mjs', ...args], {
      cwd: copy.dir,
      encoding: 'utf8',
      env: copy.env({ FAKE_WRANGLER: JSON.stringify(settings) }),
    })
  return { copy, run }
}

/** 'd1 create automateos', 'secret list', 'deploy': the command, without its options. */
const commandOf = ({ args }: { args: string[] }) =>
  args.slice(0, { d1: 3, queues: 3, secret: 2 }[args[0]!] ?? 1).join(' ')

describe('npm run deploy (against a fake wrangler on PATH)', () => {
  it('creates what is missing, applies the remote migrations, then deploys the Worker', () => {
    const { copy, run } = deploy()
    const result = run()
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(copy.calls().map(commandOf)).toEqual([
      'whoami',
      'd1 create automateos',
      'queues create automateos-runs',
      'queues create automateos-runs-dlq',
      'd1 migrations apply',
      'secret list',
      'deploy',
    ])
    const calls = copy.calls()
    expect(calls[4]!.args).toEqual(['d1', 'migrations', 'apply', 'DB', '--remote'])
    expect(calls[6]!.secretNames).toEqual(['ADMIN_TOKEN', 'ENCRYPTION_KEY'])
    expect(readFileSync(join(copy.dir, 'wrangler.toml'), 'utf8')).toMatch(
      /database_id = "5e3a1f0c-6b2d-4c8e-9f1a-2b3c4d5e6f70"/,
    )
    expect(result.stdout).toMatch(
      /AutomateOS is deployed at https:\/\/automateos\.ada\.workers\.dev/,
    )
    expect(result.stdout).toMatch(/Admin token \(shown once.*\): [A-Za-z0-9_-]{40,}/)
  })

  it('does not deploy the Worker when the migrations fail', () => {
    const { copy, run } = deploy({ fail: 'd1 migrations' })
    const result = run()
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/deploy: migrations failed/)
    expect(copy.calls().map(commandOf)).not.toContain('deploy')
  })

  it('keeps existing secrets on a later deploy', () => {
    const { copy, run } = deploy({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] })
    const result = run()
    expect(result.status).toBe(0)
    const deployCall = copy.calls().find((c) => c.args[0] === 'deploy')!
    expect(deployCall.args).toEqual(['deploy'])
    expect(result.stdout).not.toMatch(/Admin token/)
  })

  it('adds no ENCRYPTION_KEY when a rotation left the key in a later slot', () => {
    const { copy, run } = deploy({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY_2'] })
    expect(run().status).toBe(0)
    expect(copy.calls().find((c) => c.args[0] === 'deploy')!.args).toEqual(['deploy'])
  })

  it('only mentions workflows/ when not at a terminal: it never asks, never pushes', () => {
    const { copy, run } = deploy({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] })
    mkdirSync(join(copy.dir, 'workflows'))
    writeFileSync(join(copy.dir, 'workflows', 'a.json'), '{"name": "A", "nodes": []}')
    const result = run()
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(
      'workflows/ holds 1 workflow(s); to push them: AUTOMATEOS_URL=https://automateos.ada.workers.dev AUTOMATEOS_TOKEN=<admin token> npm run workflows -- push',
    )
    expect(result.stdout).not.toMatch(/\[y\/N\]/)
  })

  it('at a terminal, asks before pushing workflows/ and does nothing on no; in CI it never asks', () => {
    const { copy } = deploy()
    mkdirSync(join(copy.dir, 'workflows'))
    writeFileSync(join(copy.dir, 'workflows', 'a.json'), '{"name": "A", "nodes": []}')
    const atTerminal = (extra: Record<string, string>) =>
      // `script` gives the command a terminal, as a person running npm run deploy has.
      spawnSync('script', ['-qec', `${process.execPath} scripts/deploy.mjs`, '/dev/null'], {
        cwd: copy.dir,
        encoding: 'utf8',
        input: 'n\n',
        env: copy.env({
          FAKE_WRANGLER: JSON.stringify({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] }),
          ...extra,
        }),
      })
    const asked = atTerminal({})
    expect(asked.status).toBe(0)
    expect(asked.stdout).toContain(
      'Push the 1 workflow(s) in workflows/ to https://automateos.ada.workers.dev? [y/N]',
    )
    expect(asked.stdout).toContain('workflows/ holds 1 workflow(s); to push them:')
    const inCi = atTerminal({ CI: 'true' })
    expect(inCi.status).toBe(0)
    expect(inCi.stdout).not.toContain('[y/N]')
  })
})
