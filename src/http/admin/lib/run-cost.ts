import { prices } from '../../../lib/list-prices.mjs'

/**
 * Usage per run and per step, from `npm run bench` (2026-11-26): a 5-node run made 2 Workers
 * requests (the webhook and one consumer invocation, an upper bound: Queues batches under load),
 * 3 queue operations, read 10 D1 rows, wrote 10 (3 at ingest, 2 to claim and finish, 1 per step)
 * and used 1.04 ms of CPU. Long workflows continue in more messages; that is not counted here.
 */
export const USAGE_MODEL = {
  requestsPerRun: 2,
  queueOpsPerRun: prices.queues.opsPerDelivery,
  rowsWrittenPerRun: 5,
  rowsWrittenPerStep: 1,
  rowsReadPerStep: 2,
  cpuMsPerStep: 0.21,
}

export type CostEstimate = {
  usd: number
  lines: {
    requests: number
    cpu: number
    queues: number
    d1RowsRead: number
    d1RowsWritten: number
  }
  pricesReadOn: string
}

/** What `runs` runs with `steps` step rows cost at list prices, before included allowances. */
export function estimateRunCost(runs: number, steps: number): CostEstimate {
  const m = USAGE_MODEL
  const perMillion = (count: number, usd: number) => (count / 1_000_000) * usd
  const lines = {
    requests: perMillion(runs * m.requestsPerRun, prices.workers.usdPerMillionRequests),
    cpu: perMillion(steps * m.cpuMsPerStep, prices.workers.usdPerMillionCpuMs),
    queues: perMillion(runs * m.queueOpsPerRun, prices.queues.usdPerMillionOps),
    d1RowsRead: perMillion(steps * m.rowsReadPerStep, prices.d1.usdPerMillionRowsRead),
    d1RowsWritten: perMillion(
      runs * m.rowsWrittenPerRun + steps * m.rowsWrittenPerStep,
      prices.d1.usdPerMillionRowsWritten,
    ),
  }
  const usd = Object.values(lines).reduce((a, b) => a + b, 0)
  return { usd, lines, pricesReadOn: prices.readOn }
}
