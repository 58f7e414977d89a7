// Scenario 1: webhook ingest throughput, AutomateOS (as `npm start` runs it, and in production's
// mode) against a bare Worker doing only queue.send.
import autocannon from 'autocannon'
import { loadavg } from 'node:os'
import { startAutomateOS } from './lib/automateos.mjs'
import { startWorker } from './lib/wrangler.mjs'
import { ingestWorkflow, payload } from './lib/workflows.mjs'

const CONNECTIONS = 50
const SECONDS = 10
// JIT, module load and first D1 reads happen here, not in the measured window.
const WARMUP_SECONDS = 2

export async function ingest() {
  // One server at a time: a server left running would drain its queue on the other's CPU.
  const bare = await startWorker({
    name: 'ingest-bare',
    config: 'scripts/bench/bare-worker/wrangler.toml',
  })
  let bareResult
  try {
    bareResult = await load(`${bare.url}/hook`)
  } finally {
    await bare.stop()
  }
  // As `npm start` runs it (the run row written before the answer), then as production runs it.
  const automateResult = await loadAutomateOS('ingest-automateos', { recordFirst: true })
  const productionResult = await loadAutomateOS('ingest-production', { recordFirst: false })
  return {
    connections: CONNECTIONS,
    seconds: SECONDS,
    bodyBytes: Buffer.byteLength(JSON.stringify(payload())),
    automateos: automateResult,
    productionMode: productionResult,
    bare: bareResult,
    ratio: round(automateResult.rps / bareResult.rps, 3),
    productionModeRatio: round(productionResult.rps / bareResult.rps, 3),
  }
}

async function loadAutomateOS(name, options) {
  const automate = await startAutomateOS(name, options)
  try {
    const workflow = await automate.createWorkflow(ingestWorkflow())
    return await load(workflow.webhookUrl)
  } finally {
    await automate.stop()
  }
}

async function load(url) {
  const options = {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload()),
    connections: CONNECTIONS,
  }
  await autocannon({ ...options, duration: WARMUP_SECONDS })
  const result = await autocannon({ ...options, duration: SECONDS })
  return {
    rps: round(result.requests.average, 1),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
    // Other work on this machine moves these numbers: how busy it was when this load ended.
    loadAverage1m: round(loadavg()[0], 2),
  }
}

const round = (value, digits) => Number(value.toFixed(digits))
