#!/usr/bin/env node
// Writes src/generated/node-registry.ts from nodes/*.ts, src/generated/trigger-registry.ts from
// triggers/*.ts, and the service registry and error codes
// from the defineService declarations in src/clients/*.ts. `--check` only verifies they are current.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  GENERATED_PATH,
  TRIGGER_REGISTRY_PATH,
  checkRegistry,
  isNodeFile,
  renderRegistry,
  renderTriggerRegistry,
} from './registry.mjs'
import { isClientFile, renderServices } from './service-registry.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')

function sources(dir, keep) {
  return readdirSync(join(root, dir))
    .filter(keep)
    .map((fileName) => ({ fileName, source: readFileSync(join(root, dir, fileName), 'utf8') }))
}

const read = (path) => (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : '')

const nodes = sources('nodes', isNodeFile)
const nodeResult = check ? checkRegistry(nodes, read(GENERATED_PATH)) : renderRegistry(nodes)
// A copy of the layout without a triggers/ folder (the registry test's) has no trigger registry.
const triggerResult = existsSync(join(root, 'triggers'))
  ? renderTriggerRegistry(sources('triggers', isNodeFile))
  : { ok: true, skipped: true }
const serviceResult = renderServices(sources('src/clients', isClientFile))

const errors = [
  ...(nodeResult.ok ? [] : nodeResult.errors),
  ...(triggerResult.ok ? [] : triggerResult.errors),
  ...(serviceResult.ok ? [] : serviceResult.errors),
]
const outputs = [
  ...(nodeResult.ok ? [{ path: GENERATED_PATH, text: nodeResult.text }] : []),
  ...(triggerResult.ok && !triggerResult.skipped
    ? [{ path: TRIGGER_REGISTRY_PATH, text: triggerResult.text }]
    : []),
  ...(serviceResult.ok ? serviceResult.outputs : []),
]
if (check) {
  for (const { path, text } of outputs)
    if (read(path) !== text)
      errors.push(`${path} is stale: it does not match its sources. Run \`npm run registry\`.`)
}
if (errors.length > 0) {
  for (const error of errors) console.error(`registry: ${error}`)
  process.exit(1)
}
if (!check) {
  for (const { path, text } of outputs) {
    if (read(path) === text) continue
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
    console.log(
      path === GENERATED_PATH
        ? `registry: wrote ${path} (${nodes.length} nodes)`
        : `registry: wrote ${path}`,
    )
  }
}
