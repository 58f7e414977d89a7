#!/usr/bin/env node
// `npm run new-node -- <type>`: writes nodes/<type>.ts and nodes/<type>.test.ts from a template,
// then regenerates the node registry so the Worker and the catalogue include it.
import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { invalidType, nodeSource, nodeTestSource } from './lib/node-template.mjs'
import { isNodeFile } from './registry.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nodesDir = join(root, 'nodes')
const type = process.argv[2]

const existing = readdirSync(nodesDir)
  .filter(isNodeFile)
  .map((file) => file.replace(/\.ts$/, ''))
const problem = invalidType(type, existing)
if (problem) {
  console.error(`new-node: ${problem}`)
  process.exit(1)
}

writeFileSync(join(nodesDir, `${type}.ts`), nodeSource(type), { flag: 'wx' })
writeFileSync(join(nodesDir, `${type}.test.ts`), nodeTestSource(type), { flag: 'wx' })
const registry = spawnSync(process.execPath, [join(root, 'scripts', 'generate-registry.mjs')], {
  stdio: 'inherit',
})
if (registry.status !== 0) process.exit(registry.status ?? 1)

console.log(`new-node: wrote nodes/${type}.ts and nodes/${type}.test.ts

Next:
  1. Edit nodes/${type}.ts: its description, config schema and run().
  2. npx vitest run nodes/${type}.test.ts   (then the whole npm test: the contract suite checks it too)
  3. Use it in a workflow: { "id": "step", "type": "${type}", "config": { ... } }`)
