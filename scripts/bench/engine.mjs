// Scenario 3: what one run costs the Engine and D1. A 50-node workflow of transforms gives the
// per-node figures; the end-to-end workflow (transform → transform → http-request) and the 5-node
// example give the per-run ones: round trips, rows, and D1's own busy time, which bounds how many
// runs a second one database can take (Cloudflare: a database runs one query at a time).
import { perRun } from './lib/engine-worker.mjs'
import { startSink } from './lib/sink.mjs'
import { cheapWorkflow, endToEndWorkflow, fiveNodeWorkflow } from './lib/workflows.mjs'

const NODES = 50
const RUNS = 30
// D1 reports each statement's duration on a millisecond clock: more runs, a finer average.
const RUNS_PER_WORKFLOW = 100

export async function engine(worker) {
  const sink = await startSink()
  let endToEnd
  try {
    endToEnd = await perWorkflow(worker, endToEndWorkflow(sink.url))
  } finally {
    await sink.stop()
  }
  const fiveNode = await perWorkflow(worker, fiveNodeWorkflow())
  const long = perRun(await worker.measure(cheapWorkflow(NODES), RUNS), NODES)
  // Each queue message opens with one claim round trip; the rest is per step.
  const claimsPerRun = 1 + long.continuationsPerRun
  return {
    // The end-to-end workflow's figures, the ones the README and the goals quote.
    d1RoundTripsPerRun: endToEnd.d1RoundTripsPerRun,
    rowsWrittenPerRun: endToEnd.rowsWrittenPerRun,
    d1BusyMsPerRun: endToEnd.d1BusyMsPerRun,
    runsPerSecondPerDatabase: endToEnd.runsPerSecondPerDatabase,
    // Per node, from the 50 transforms.
    nodes: NODES,
    overheadUsPerNode: long.overheadUsPerNode,
    d1RoundTripsPerNode: long.d1RoundTripsPerNode,
    d1RoundTripsPerStep: (long.d1RoundTripsPerRun - claimsPerRun) / NODES,
    clockResolutionMs: long.clockResolutionMs,
    workflows: { endToEnd, fiveNode, fiftyTransforms: { nodes: NODES, ...long } },
    goals: {
      d1RoundTripsPerRun: 'steps with outside effects + 1 (2 for the end-to-end workflow)',
      rowsWrittenPerRun: 'nodes + 4, counting the ingest path’s rows as part of the run',
    },
  }
}

async function perWorkflow(worker, definition) {
  const nodes = definition.nodes.length
  const measured = perRun(await worker.measure(definition, RUNS_PER_WORKFLOW), nodes)
  return {
    workflow: definition.nodes.map((n) => n.type).join(' → '),
    nodes,
    effectfulSteps: definition.nodes.filter((n) => n.type === 'http-request').length,
    ...measured,
  }
}
