// Scenario 4: what a million runs of the 5-node example cost at list prices, from counted usage.
import { prices } from './prices.mjs'
import { perRun } from './lib/engine-worker.mjs'
import { fiveNodeWorkflow } from './lib/workflows.mjs'

const RUNS = 50
const MILLION = 1_000_000
// Assumption, an upper bound: every message gets a consumer invocation of its own, billed as a
// Workers request. Under load Queues delivers batches of up to 10, i.e. 0.1 per run.
const CONSUMER_INVOCATIONS_PER_MESSAGE = 1

export async function cost(worker) {
  const definition = fiveNodeWorkflow()
  const measured = perRun(await worker.measure(definition, RUNS), definition.nodes.length)
  const usage = usagePerRun(measured)
  const lines = {
    requests: usage.requests * prices.workers.usdPerMillionRequests,
    cpu: usage.cpuMs * prices.workers.usdPerMillionCpuMs,
    queues: usage.queueOps * prices.queues.usdPerMillionOps,
    d1RowsRead: usage.rowsRead * prices.d1.usdPerMillionRowsRead,
    d1RowsWritten: usage.rowsWritten * prices.d1.usdPerMillionRowsWritten,
  }
  return {
    workflow: definition.nodes.map((n) => n.type).join(' → '),
    runsMeasured: RUNS,
    statuses: measured.statuses,
    usagePerRun: usage,
    // Marginal list price: the plan's included allowances are NOT subtracted here.
    perMillionRunsUsd: round(sum(lines)),
    perMillionRunsByLineUsd: mapValues(lines, round),
    // A month whose only usage is these million runs: $5 minimum, allowances subtracted.
    monthOfMillionRunsUsd: round(monthly(usage)),
    allowancesSubtracted: 'perMillionRunsUsd: no; monthOfMillionRunsUsd: yes, plus the $5 minimum',
    assumptions: {
      consumerInvocationsPerMessage: CONSUMER_INVOCATIONS_PER_MESSAGE,
      cpuMs: 'wall time minus D1 await time of ingest and Engine in local workerd',
      storage: 'not included: it depends on how long runs are kept',
    },
    pricesReadOn: prices.readOn,
    priceSources: prices.sources,
  }
}

function usagePerRun(m) {
  const messages = 1 + m.continuationsPerRun
  const chunks = Math.ceil(
    (m.messageBytes + prices.queues.metadataBytesPerMessage) / prices.queues.bytesPerOp,
  )
  return {
    requests: 1 + messages * CONSUMER_INVOCATIONS_PER_MESSAGE,
    queueOps: messages * prices.queues.opsPerDelivery * chunks,
    rowsRead: m.rowsReadPerRun,
    rowsWritten: m.rowsWrittenPerRun,
    cpuMs: round(m.ingestCpuMsPerRun + m.engineCpuMsPerRun, 3),
    messageBytes: Math.round(m.messageBytes),
  }
}

function monthly(usage) {
  const over = (perRun, included, usdPerMillion) =>
    (Math.max(0, perRun * MILLION - included) / MILLION) * usdPerMillion
  const { workers, queues, d1 } = prices
  return (
    prices.monthlyMinimumUsd +
    over(usage.requests, workers.requestsIncludedPerMonth, workers.usdPerMillionRequests) +
    over(usage.cpuMs, workers.cpuMsIncludedPerMonth, workers.usdPerMillionCpuMs) +
    over(usage.queueOps, queues.opsIncludedPerMonth, queues.usdPerMillionOps) +
    over(usage.rowsRead, d1.rowsReadIncludedPerMonth, d1.usdPerMillionRowsRead) +
    over(usage.rowsWritten, d1.rowsWrittenIncludedPerMonth, d1.usdPerMillionRowsWritten)
  )
}

const sum = (lines) => Object.values(lines).reduce((a, b) => a + b, 0)
const round = (value, digits = 4) => Number(value.toFixed(digits))
const mapValues = (object, f) =>
  Object.fromEntries(Object.entries(object).map(([k, v]) => [k, f(v)]))
