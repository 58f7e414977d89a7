#!/usr/bin/env node
// Writes src/generated/node-registry.ts from nodes/*.ts. `--check` only verifies it is current.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { GENERATED_PATH, checkRegistry, isNodeFile, renderRegistry } from './registry.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nodesDir = join(root, 'nodes')
const target = join(root, GENERATED_PATH)

const files = readdirSync(nodesDir)
  .filter(isNodeFile)
  .map((fileName) => ({ fileName, source: readFileSync(join(nodesDir, fileName), 'utf8') }))

const check = process.argv.includes('--check')
const current = existsSync(target) ? readFileSync(target, 'utf8') : ''
const result = check ? checkRegistry(files, current) : renderRegistry(files)

if (!result.ok) {
  for (const error of result.errors) console.error(`registry: ${error}`)
  process.exit(1)
}
if (!check && result.text !== current) {
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, result.text)
  console.log(`registry: wrote ${GENERATED_PATH} (${files.length} nodes)`)
}
