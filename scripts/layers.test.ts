import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The layer order of README "Project layout", top to bottom. A file may import files of its own
// entry and of any entry below it; entries on one line are peers and may not import each other.
// An entry is a folder (ending in /) or a file; a file belongs to the longest entry that holds it.
const LAYERS: string[][] = [
  // Bundled for the browser, never imported by the Worker: on top, so any import of it is upward.
  ['src/http/admin/browser/'],
  ['src/index.ts'],
  ['src/app.ts'],
  // http: the three audiences, then what they share.
  ['src/http/admin/routes/'],
  ['src/http/admin/pages/'],
  ['src/http/admin/components/'],
  ['src/http/admin/lib/'],
  ['src/http/admin/admin-env.ts'],
  ['src/http/mcp/'],
  ['src/http/api/', 'src/http/hooks/'],
  ['src/http/'],
  ['src/schedules/', 'src/polls/'],
  ['src/engine/'],
  ['src/store/'],
  ['src/workflow/'],
  // The catalogue of nodes, then the nodes, which use the node API; below it the credentials,
  // composed from the services the clients declare (src/generated/ files stand each above what
  // they are generated from).
  // Polling triggers (triggers/) are declared like nodes and use the node API's helpers.
  ['src/nodes/registry.ts', 'src/triggers/registry.ts'],
  ['src/generated/node-registry.ts', 'src/generated/trigger-registry.ts'],
  ['nodes/', 'triggers/'],
  ['src/triggers/'],
  ['src/nodes/'],
  ['src/credentials/'],
  ['src/generated/service-registry.ts'],
  ['src/clients/', 'src/code/'],
  ['src/templates/'],
  ['src/db/'],
  ['src/lib/', 'src/generated/admin-script.ts'],
  ['src/redact/'],
  ['src/env.ts', 'src/errors.ts'],
  ['src/generated/error-codes.ts'],
]

// Imports against the order that other work of issue 18 is removing (one owner of runs and of
// SQL: store, engine, schedules, and the node API passing engine helpers on to nodes; credentials
// reaching into http, store and the node registry).
// Each is `importer -> imported`; the list only shrinks: an entry that no longer occurs fails too.
const KNOWN_UPWARD = new Set([
  'src/credentials/check-workflow.ts -> src/http/errors.ts',
  'src/credentials/check-workflow.ts -> src/nodes/registry.ts',
  'src/credentials/check-workflow.ts -> src/workflow/definition.ts',
  'src/credentials/node-credential.ts -> src/nodes/define-node.ts',
  'src/credentials/store.ts -> src/store/db.ts',
  // The queue binding's type names the message it carries: a type, read by every layer.
  'src/env.ts -> src/store/run-model.ts',
  'src/nodes/node-api.ts -> src/engine/messages.ts',
  'src/store/schedules.ts -> src/schedules/cron.ts',
  'src/workflow/definition.ts -> src/engine/messages.ts',
  'src/workflow/trigger.ts -> src/schedules/cron.ts',
])

const SOURCE = /\.(ts|tsx|mts|mjs)$/
const isTest = (path: string) => /\.test\.tsx?$/.test(path)

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return SOURCE.test(name) && !isTest(name) ? [path] : []
  })
}

// Static imports and re-exports (`import type` too: a lower layer may not name a higher one's
// types either), side-effect imports, and dynamic import(). Only relative paths: packages are
// not layers. A specifier that names no file (text inside a template string) is left out.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)'(\.\.?\/[^']*)'/gm

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found = new Set<string>()
  for (const match of text.matchAll(IMPORT)) {
    const base = resolve(dirname(file), match[1]!)
    const hit = ['', '.ts', '.tsx', '.mts', '.mjs', '/index.ts']
      .map((ext) => base + ext)
      .find((path) => existsSync(path) && statSync(path).isFile())
    if (hit) found.add(relative('.', hit))
  }
  return [...found]
}

const files = [...sourceFiles('src'), ...sourceFiles('nodes'), ...sourceFiles('triggers')]
const graph = new Map(files.map((file) => [file, importsOf(file)]))

/** Where a file stands: [layer index, entry]. */
function placeOf(file: string): [number, string] {
  let best: [number, string] | undefined
  LAYERS.forEach((layer, index) => {
    for (const entry of layer) {
      const holds = entry.endsWith('/') ? file.startsWith(entry) : file === entry
      if (holds && (!best || entry.length > best[1].length)) best = [index, entry]
    }
  })
  if (!best) throw new Error(`${file} is in no layer: add its folder to LAYERS and the README`)
  return best
}

function upwardImports(): string[] {
  const found: string[] = []
  for (const [file, imports] of graph) {
    const [layer, entry] = placeOf(file)
    for (const target of imports) {
      const [targetLayer, targetEntry] = placeOf(target)
      if (targetEntry === entry) continue
      if (targetLayer <= layer) found.push(`${file} -> ${target}`)
    }
  }
  return found.sort()
}

/** Every import cycle, each as its files in order (Tarjan's strongly connected components). */
function cycles(): string[][] {
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (file: string) => {
    index.set(file, counter)
    low.set(file, counter++)
    stack.push(file)
    onStack.add(file)
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(file, Math.min(low.get(file)!, low.get(next)!))
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, index.get(next)!))
    }
    if (low.get(file) !== index.get(file)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== file)
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) {
      found.push(component.sort())
    }
  }
  for (const file of graph.keys()) if (!index.has(file)) visit(file)
  return found
}

describe('layers', () => {
  it('reads the imports it checks', () => {
    // A guard for the regex: if it stopped matching, every other check here would pass vacuously.
    expect(graph.get('src/app.ts')).toContain('src/http/admin/routes/admin-routes.tsx')
    expect(graph.get('src/http/admin/components/layout.tsx')).toContain(
      'src/generated/admin-script.ts',
    )
    expect(graph.get('src/store/runs.ts')).toContain('src/store/run-model.ts') // `import type`
  })

  it('every file of src/, nodes/ and triggers/ imports only its own layer entry or a lower one', () => {
    const upward = upwardImports().filter((edge) => !KNOWN_UPWARD.has(edge))
    expect(upward, 'imports against the layer order (README "Project layout")').toEqual([])
  })

  it('the list of known upward imports holds only ones that still occur', () => {
    const occurring = new Set(upwardImports())
    const gone = [...KNOWN_UPWARD].filter((edge) => !occurring.has(edge))
    expect(gone, 'fixed: remove these from KNOWN_UPWARD in scripts/layers.test.ts').toEqual([])
  })

  it('no files import each other in a circle', () => {
    expect(cycles()).toEqual([])
  })

  it('the browser code imports nothing outside its folder', () => {
    for (const file of files.filter((f) => f.startsWith('src/http/admin/browser/'))) {
      for (const target of graph.get(file)!) expect(target).toMatch(/^src\/http\/admin\/browser\//)
    }
  })
})
