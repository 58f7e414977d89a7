import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: plain ESM script without type declarations
import {
  GENERATED_PATH,
  TRIGGER_REGISTRY_PATH,
  checkRegistry,
  isNodeFile,
  renderRegistry,
  renderTriggerRegistry,
} from './registry.mjs'

const node = (type: string, fileName = `${type}.ts`) => ({
  fileName,
  source: `import { defineNode } from '../src/nodes/define-node'\nexport default defineNode({\n  type: '${type}',\n  title: 'x',\n})\n`,
})

describe('registry generator', () => {
  it('renders one import per node file, sorted, keyed by type', () => {
    const result = renderRegistry([node('slack-message'), node('filter')])
    expect(result.ok).toBe(true)
    expect(result.text).toContain("import filterNode from '../../nodes/filter'")
    expect(result.text).toContain("'slack-message': slackMessageNode,")
    expect(result.text.indexOf('filterNode')).toBeLessThan(result.text.indexOf('slackMessageNode'))
  })

  it('fails on a type that differs from its file name', () => {
    const result = renderRegistry([node('discord', 'discord-message.ts')])
    expect(result.ok).toBe(false)
    expect(result.errors[0]).toMatch(
      /declares type 'discord' but its file name says 'discord-message'/,
    )
  })

  it('fails on a duplicate type', () => {
    const result = renderRegistry([node('a'), { ...node('a'), fileName: 'a.ts' }])
    expect(result.ok).toBe(false)
    expect(result.errors.join('\n')).toMatch(/already declared/)
  })

  it('fails on a file without a default-exported defineNode', () => {
    const result = renderRegistry([{ fileName: 'helper.ts', source: 'export const x = 1\n' }])
    expect(result.ok).toBe(false)
    expect(result.errors[0]).toMatch(/no `export default defineNode/)
  })

  it('--check fails when the generated module is stale, and passes when it is current', () => {
    const files = [node('filter'), node('transform')]
    const current = renderRegistry(files).text
    expect(checkRegistry(files, current).ok).toBe(true)
    const stale = checkRegistry([...files, node('new-node')], current)
    expect(stale.ok).toBe(false)
    expect(stale.errors[0]).toMatch(/is stale/)
  })

  it('leaves tests and underscore helpers out', () => {
    expect(isNodeFile('transform.ts')).toBe(true)
    expect(isNodeFile('transform.test.ts')).toBe(false)
    expect(isNodeFile('_shared.ts')).toBe(false)
  })

  it('the committed registry matches nodes/', () => {
    const files = readdirSync('nodes')
      .filter(isNodeFile)
      .map((fileName: string) => ({ fileName, source: readFileSync(`nodes/${fileName}`, 'utf8') }))
    expect(checkRegistry(files, readFileSync(GENERATED_PATH, 'utf8'))).toMatchObject({ ok: true })
  })

  it('the CLI exits non-zero in --check mode on a stale registry', () => {
    // Runs the real script against a copy of the repo's layout with one extra node.
    const dir = execFileSync('mktemp', ['-d']).toString().trim()
    execFileSync('mkdir', ['-p', `${dir}/scripts`, `${dir}/nodes`, `${dir}/src/clients`])
    execFileSync('cp', [
      'scripts/registry.mjs',
      'scripts/service-registry.mjs',
      'scripts/generate-registry.mjs',
      `${dir}/scripts/`,
    ])
    execFileSync('cp', ['-r', 'nodes/.', `${dir}/nodes/`])
    execFileSync('cp', ['-r', 'src/clients/.', `${dir}/src/clients/`])
    execFileSync('cp', ['-r', 'src/generated', `${dir}/src/`])
    expect(() =>
      execFileSync('node', [`${dir}/scripts/generate-registry.mjs`, '--check']),
    ).not.toThrow()
    execFileSync('cp', ['nodes/transform.ts', `${dir}/nodes/extra.ts`])
    execFileSync('sed', ['-i', "s/type: 'transform'/type: 'extra'/", `${dir}/nodes/extra.ts`])
    let status = 0
    let stderr = ''
    try {
      execFileSync('node', [`${dir}/scripts/generate-registry.mjs`, '--check'], { stdio: 'pipe' })
    } catch (error) {
      status = (error as { status: number }).status
      stderr = String((error as { stderr: Buffer }).stderr)
    }
    expect(status).toBe(1)
    expect(stderr).toMatch(/stale/)
    execFileSync('node', [`${dir}/scripts/generate-registry.mjs`])
    expect(readFileSync(`${dir}/${GENERATED_PATH}`, 'utf8')).toContain("'extra': extraNode")
    execFileSync('rm', ['-rf', dir])
  })
})

describe('trigger registry generator', () => {
  it('lists triggers/<type>.ts declared with definePollTrigger, and names a mismatch', () => {
    const ok = renderTriggerRegistry([
      {
        fileName: 'http-poll.ts',
        source: "export default definePollTrigger({ type: 'http-poll' })",
      },
    ])
    expect(ok).toMatchObject({ ok: true })
    expect((ok as { text: string }).text).toContain("'http-poll': httpPollTrigger,")
    const wrong = renderTriggerRegistry([
      { fileName: 'a-b.ts', source: "export default definePollTrigger({ type: 'c' })" },
    ])
    expect(wrong).toEqual({
      ok: false,
      errors: ["triggers/a-b.ts: declares type 'c' but its file name says 'a-b'"],
    })
  })

  it('the committed trigger registry matches triggers/', () => {
    const files = readdirSync('triggers')
      .filter(isNodeFile)
      .map((fileName: string) => ({
        fileName,
        source: readFileSync(`triggers/${fileName}`, 'utf8'),
      }))
    expect(renderTriggerRegistry(files)).toEqual({
      ok: true,
      text: readFileSync(TRIGGER_REGISTRY_PATH, 'utf8'),
    })
  })
})
