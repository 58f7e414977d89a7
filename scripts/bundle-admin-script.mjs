#!/usr/bin/env node
// Writes src/generated/admin-script.ts from src/http/admin/browser/. `--check` only verifies it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import {
  BUILD_OPTIONS,
  GENERATED_PATH,
  checkAdminScript,
  renderAdminScript,
} from './admin-script.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const target = join(root, GENERATED_PATH)

let bundle
try {
  const result = await build({ ...BUILD_OPTIONS, absWorkingDir: root })
  bundle = result.outputFiles[0].text
} catch (error) {
  for (const e of error.errors ?? [error]) console.error(`admin-script: ${e.text ?? e.message}`)
  process.exit(1)
}

const check = process.argv.includes('--check')
const current = existsSync(target) ? readFileSync(target, 'utf8') : ''
const result = check ? checkAdminScript(bundle, current) : renderAdminScript(bundle)

if (!result.ok) {
  for (const error of result.errors) console.error(`admin-script: ${error}`)
  process.exit(1)
}
if (!check && result.text !== current) {
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(target, result.text)
  console.log(`admin-script: wrote ${GENERATED_PATH}`)
}
