import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs module without types
import { invalidType, nodeSource, titleOf } from './lib/node-template.mjs'

const root = join(import.meta.dirname, '..')

describe('node template', () => {
  it('accepts a kebab-case type that is not taken, and says why otherwise', () => {
    expect(invalidType('slack-reaction', ['transform'])).toBeUndefined()
    expect(invalidType(undefined)).toMatch(/give the node type/)
    expect(invalidType('Slack_Reaction')).toMatch(/kebab-case/)
    expect(invalidType('slack--reaction')).toMatch(/kebab-case/)
    expect(invalidType('transform', ['transform'])).toBe('nodes/transform.ts already exists')
  })

  it('declares the type the registry expects of the file name', () => {
    expect(nodeSource('slack-reaction')).toMatch(/type: 'slack-reaction'/)
    expect(titleOf('slack-reaction')).toBe('Slack reaction')
  })
})

describe('npm run new-node', () => {
  let copy: string
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/new-node.mjs', ...args], { cwd: copy, encoding: 'utf8' })

  beforeAll(() => {
    // A copy of what the command and the type check read, with the project's node_modules.
    copy = mkdtempSync(join(tmpdir(), 'automateos-new-node-'))
    for (const entry of [
      'nodes',
      'triggers',
      'src',
      'scripts',
      'test',
      'examples',
      'package.json',
      'tsconfig.json',
    ])
      cpSync(join(root, entry), join(copy, entry), { recursive: true })
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir')
  })
  afterAll(() => rmSync(copy, { recursive: true, force: true }))

  it('writes the node and its test, registers it, and the result type-checks', () => {
    const result = run('shout-text')
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/wrote nodes\/shout-text\.ts and nodes\/shout-text\.test\.ts/)
    expect(existsSync(join(copy, 'nodes', 'shout-text.ts'))).toBe(true)
    expect(existsSync(join(copy, 'nodes', 'shout-text.test.ts'))).toBe(true)
    const registry = readFileSync(join(copy, 'src', 'generated', 'node-registry.ts'), 'utf8')
    expect(registry).toMatch(/'shout-text'/)
    // Throws, with tsc's errors, if the template does not compile against today's NodeDefinition.
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit'],
      {
        cwd: copy,
        encoding: 'utf8',
      },
    )
  })

  it('refuses a type that exists or is not kebab-case, writing nothing', () => {
    const again = run('shout-text')
    expect(again.status).toBe(1)
    expect(again.stderr).toMatch(/nodes\/shout-text\.ts already exists/)
    const bad = run('Shout_Text')
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/kebab-case/)
    expect(existsSync(join(copy, 'nodes', 'Shout_Text.ts'))).toBe(false)
  })
})
