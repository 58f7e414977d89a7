// Scenario 3: the Engine's own cost per node on a long workflow of cheap nodes.
import { perRun } from './lib/engine-worker.mjs'
import { cheapWorkflow } from './lib/workflows.mjs'

const NODES = 50
const RUNS = 30

export async function engine(worker) {
  const measured = perRun(await worker.measure(cheapWorkflow(NODES), RUNS), NODES)
  // Each queue message opens with one claim round trip; the rest is per step.
  const claimsPerRun = 1 + measured.continuationsPerRun
  return {
    nodes: NODES,
    ...measured,
    d1RoundTripsPerStep: (measured.d1RoundTripsPerRun - claimsPerRun) / NODES,
    goals: {
      d1RoundTripsPerNode: '1 per step, plus the claim each message starts with',
      rowsWrittenPerRun: `≤ ${NODES + 3}, counting the ingest path's row as part of the run`,
    },
  }
}
