#!/usr/bin/env node
// `npm run bench [-- --only ingest|e2e|soak|engine|cost]`: measures, prints a table and writes
// scripts/bench/results.json. It fails only when a scenario cannot run, never on a number.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cost } from './cost.mjs'
import { endToEnd } from './e2e.mjs'
import { engine } from './engine.mjs'
import { ingest } from './ingest.mjs'
import { startEngineWorker } from './lib/engine-worker.mjs'
import { machine, versions } from './lib/machine.mjs'
import { benchDir, cleanWorkDir, logDir, takeSnapshot } from './lib/paths.mjs'
import { installCleanup, isStopping, stopAll } from './lib/processes.mjs'
import { printTable } from './lib/table.mjs'
import { soak } from './soak.mjs'

const SCENARIOS = ['ingest', 'e2e', 'soak', 'engine', 'cost']
const RESULTS = join(benchDir, 'results.json')

const only = onlyArgument()
const ran = only ? [only] : SCENARIOS
installCleanup(cleanWorkDir)
takeSnapshot()

// A partial run keeps the other scenarios' last results; each section says when it was measured.
const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {}
const results = { date: new Date().toISOString(), machine: machine(), versions: versions() }
for (const key of ['ingest', 'endToEnd', 'soak', 'engine', 'cost']) results[key] = previous[key]
let failures = 0
try {
  if (ran.includes('ingest')) await scenario('ingest', 'ingest', ingest)
  if (ran.includes('e2e')) await scenario('endToEnd', 'end to end', endToEnd)
  if (ran.includes('soak')) await scenario('soak', 'soak', soak)
  if (ran.includes('engine') || ran.includes('cost')) {
    const worker = await startEngineWorker()
    try {
      if (ran.includes('engine')) await scenario('engine', 'engine', () => engine(worker))
      if (ran.includes('cost')) await scenario('cost', 'cost', () => cost(worker))
    } finally {
      await worker.stop()
    }
  }
} finally {
  await stopAll()
  cleanWorkDir()
}
// After ctrl-c nothing measured is a result: the signal handler exits instead.
if (!isStopping()) report()

function report() {
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`)
  printTable(results, ran)
  console.log(`\nwrote ${RESULTS}`)
  if (failures) {
    console.error(`bench: ${failures} scenario(s) failed; wrangler logs are in ${logDir}`)
    process.exitCode = 1
  } else rmSync(logDir, { recursive: true, force: true })
}

async function scenario(key, title, measure) {
  console.error(`bench: ${title}…`)
  try {
    results[key] = { measuredAt: new Date().toISOString(), ...(await measure()) }
  } catch (error) {
    failures += 1
    results[key] = { measuredAt: new Date().toISOString(), title, error: error.message }
    console.error(`bench: ${title} failed:`, error)
  }
}

function onlyArgument() {
  const args = process.argv.slice(2)
  const index = args.findIndex((a) => a === '--only' || a.startsWith('--only='))
  if (index === -1) return null
  const value = args[index].includes('=') ? args[index].split('=')[1] : args[index + 1]
  if (!SCENARIOS.includes(value)) {
    console.error(`usage: npm run bench [-- --only ${SCENARIOS.join('|')}]`)
    process.exit(2)
  }
  return value
}
