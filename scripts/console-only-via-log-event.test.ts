import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name),
    )
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
}

// Redaction happens once, in logEvent (src/lib/log-event.ts): a console call anywhere else in the
// Worker would write a line nothing has redacted.
it('the Worker writes to the console only through logEvent', () => {
  const offenders = [...sources('src'), ...sources('nodes'), ...sources('triggers')]
    .filter((file) => file !== join('src', 'lib', 'log-event.ts'))
    .filter((file) =>
      /\bconsole\.(log|info|warn|error|debug|trace)\b/.test(readFileSync(join(root, file), 'utf8')),
    )
  expect(offenders).toEqual([])
})
