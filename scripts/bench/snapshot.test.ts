import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import { SNAPSHOT, root } from './lib/paths.mjs'

// The bench builds every server from a copy of the project: a source folder missing from the copy
// fails each build (it did when triggers/ arrived), and the bench reports no figures at all.
describe('the bench snapshot', () => {
  it('copies every top-level folder the Worker imports through its generated registries', () => {
    const generated = join(root, 'src', 'generated')
    const folders = new Set<string>()
    for (const file of readdirSync(generated)) {
      const text = readFileSync(join(generated, file), 'utf8')
      for (const match of text.matchAll(/from '\.\.\/\.\.\/([a-z-]+)\//g)) folders.add(match[1]!)
    }
    expect([...folders].sort()).toEqual(expect.arrayContaining(['nodes', 'triggers']))
    for (const folder of folders) expect(SNAPSHOT).toContain(folder)
  })
})
