import { readFileSync, readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ERROR_CODES_PATH,
  SERVICE_REGISTRY_PATH,
  isClientFile,
  renderServices,
} from './service-registry.mjs'

const client = (fileName: string, body: string) => ({
  fileName,
  source: `import { defineService } from './service'\n${body}\n`,
})

const outputOf = (result: ReturnType<typeof renderServices>, path: string) =>
  result.ok ? result.outputs.find((output) => output.path === path)?.text : undefined

describe('service registry generator', () => {
  it('imports every declared service, sorted by file, and spreads its credentials', () => {
    const result = renderServices([
      client('zeta.ts', "export const zeta = defineService({ name: 'Z', errorCode: 'Z_ERROR' })"),
      client('alpha.ts', "export const alpha = defineService({ name: 'A', errorCode: 'A_ERROR' })"),
      client('alpha.test.ts', 'not a client'),
      { fileName: 'call-api.ts', source: 'export function callApi() {}' },
    ])
    const registry = outputOf(result, SERVICE_REGISTRY_PATH)!
    expect(registry).toContain("import { alpha } from '../clients/alpha'")
    expect(registry.indexOf('...alpha.credentials')).toBeLessThan(
      registry.indexOf('...zeta.credentials'),
    )
  })

  it('collects errorCode and otherCodes into one sorted union', () => {
    const result = renderServices([
      client(
        'github.ts',
        "export const github = defineService({\n  errorCode: 'GITHUB_ERROR',\n  otherCodes: ['GITHUB_Z', 'GITHUB_A'],\n})",
      ),
    ])
    expect(outputOf(result, ERROR_CODES_PATH)).toContain(
      "  | 'GITHUB_A'\n  | 'GITHUB_ERROR'\n  | 'GITHUB_Z'\n",
    )
  })

  it('refuses a service that is not exported as a named const', () => {
    const result = renderServices([
      client('hidden.ts', "const hidden = defineService({ name: 'H' })"),
    ])
    expect(result).toMatchObject({ ok: false })
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/export const/)])
  })

  it('refuses two services of the same name', () => {
    const result = renderServices([
      client('a.ts', 'export const same = defineService({})'),
      client('b.ts', 'export const same = defineService({})'),
    ])
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/already declared/)])
  })

  it('the committed service registry and error codes match src/clients/', () => {
    const files = readdirSync('src/clients')
      .filter(isClientFile)
      .map((fileName) => ({ fileName, source: readFileSync(`src/clients/${fileName}`, 'utf8') }))
    const result = renderServices(files)
    expect(result.ok).toBe(true)
    for (const output of result.ok ? result.outputs : [])
      expect(readFileSync(output.path, 'utf8')).toBe(output.text)
  })
})
