// Scenario 2, also the durable-runs load scenario: every accepted webhook must become exactly one
// finished run, each step run once. It prints `lost` and `duplicated`; both must be 0.
// The same 2,000 webhooks go first through the bare pipeline (bare-worker/: enqueue, then POST
// the body to the sink; no D1), then through AutomateOS: the ratio is what the run log costs.
import { startAutomateOS } from './lib/automateos.mjs'
import { canWatchDescriptors, watchDescriptors } from './lib/descriptors.mjs'
import { pool } from './lib/pool.mjs'
import { FINISHED, tally, waitForRuns, waitForSink } from './lib/runs.mjs'
import { startSink } from './lib/sink.mjs'
import { endToEndWorkflow, payload } from './lib/workflows.mjs'
import { startWorker } from './lib/wrangler.mjs'

const WEBHOOKS = 2_000
const CONCURRENCY = 20

export async function endToEnd() {
  const bare = await barePipeline()
  const automate = await automateosPipeline()
  return {
    ...automate,
    bare,
    ratio: bare.runsPerSecond ? round(automate.runsPerSecond / bare.runsPerSecond, 3) : null,
  }
}

async function barePipeline() {
  const sink = await startSink()
  const server = await startWorker({
    name: 'e2e-bare',
    config: 'scripts/bench/bare-worker/wrangler.toml',
    vars: { SINK_URL: sink.url },
  })
  try {
    const watch = watchCpu(server.pid)
    const started = Date.now()
    const accepted = await postAll(`${server.url}/hook`)
    const postSeconds = (Date.now() - started) / 1000
    const deliveredAt = await waitForSink(sink, accepted.runIds, started)
    const cpuSeconds = watch?.stop().cpuSeconds ?? null
    const stats = sink.stats()
    const seconds = deliveredAt ? (deliveredAt - started) / 1000 : null
    return {
      accepted: accepted.runIds.length,
      rejected: accepted.rejected,
      postSeconds,
      seconds,
      runsPerSecond: seconds ? round(accepted.runIds.length / seconds, 1) : 0,
      lost: accepted.runIds.filter((id) => !stats.seen.has(id)).length,
      duplicated: stats.repeats,
      cpuSeconds,
    }
  } finally {
    await server.stop()
    await sink.stop()
  }
}

async function automateosPipeline() {
  const sink = await startSink()
  const automate = await startAutomateOS('e2e')
  try {
    const workflow = await automate.createWorkflow(endToEndWorkflow(sink.url))
    const watch = watchCpu(automate.pid)
    const started = Date.now()
    const accepted = await postAll(workflow.webhookUrl)
    const postSeconds = (Date.now() - started) / 1000
    // Timed like the bare pipeline, by the last delivery reaching the sink; the API is read only
    // afterwards, so polling it does not slow the runs it measures.
    const keys = accepted.runIds.map((id) => `${id}:deliver`)
    const deliveredAt = await waitForSink(sink, keys, started)
    const cpuSeconds = watch?.stop().cpuSeconds ?? null
    const { statuses, finishedAt } = await waitForRuns(automate, workflow.id, accepted.runIds)
    const steps = await checkSteps(automate, accepted.runIds)
    const count = (test) => accepted.runIds.filter((id) => test(statuses.get(id))).length
    const lost = count((status) => !FINISHED.has(status))
    const failed = count((status) => FINISHED.has(status) && status !== 'succeeded')
    const sinkStats = sink.stats()
    const seconds = deliveredAt && !failed && !lost ? (deliveredAt - started) / 1000 : null
    return {
      runs: WEBHOOKS,
      concurrency: CONCURRENCY,
      accepted: accepted.runIds.length,
      rejected: accepted.rejected,
      postSeconds,
      seconds,
      // Until every run also read `succeeded` over the API (polled twice a second).
      recordedSeconds: finishedAt ? (finishedAt - started) / 1000 : null,
      runsPerSecond: seconds ? round(accepted.runIds.length / seconds, 1) : 0,
      // Until the last delivery, per process of the server: where the CPU went.
      cpuSeconds,
      succeeded: accepted.runIds.length - lost - failed,
      failed,
      lost,
      lostByStatus: tally(
        accepted.runIds.filter((id) => !FINISHED.has(statuses.get(id))),
        statuses,
      ),
      duplicated: sinkStats.repeats + steps.retried + steps.extra,
      duplicatedDetail: {
        sinkRepeatedKeys: sinkStats.repeats,
        stepsWithAttemptsAboveOne: steps.retried,
        runsWithUnexpectedStepCount: steps.extra,
      },
      sink: {
        requests: sinkStats.requests,
        keys: sinkStats.keys,
        keyless: sinkStats.keyless,
        // Succeeded runs whose delivery never reached the sink (the key is run id + node id).
        missing: accepted.runIds.filter(
          (id) => statuses.get(id) === 'succeeded' && !sinkStats.seen.has(`${id}:deliver`),
        ).length,
      },
    }
  } finally {
    await automate.stop()
    await sink.stop()
  }
}

/** CPU seconds per process of the server under test, where /proc can tell. */
const watchCpu = (pid) => (canWatchDescriptors() ? watchDescriptors(pid, 1_000) : null)

async function postAll(url) {
  const runIds = []
  let rejected = 0
  const body = (i) => JSON.stringify(payload(i))
  await pool(WEBHOOKS, CONCURRENCY, async (i) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(i),
    }).catch(() => null)
    if (response?.status === 202) runIds.push((await response.json()).runId)
    else {
      rejected += 1
      await response?.body?.cancel()
    }
  })
  return { runIds, rejected }
}

/** Each run's own record: three steps, each with a single attempt. */
async function checkSteps(automate, runIds) {
  let retried = 0
  let extra = 0
  await pool(runIds.length, CONCURRENCY, async (i) => {
    const response = await automate.api(`/api/runs/${runIds[i]}`)
    if (response.status !== 200) return
    const run = await response.json()
    retried += run.steps.filter((step) => step.attempts > 1).length
    if (run.steps.length > 3) extra += 1
  })
  return { retried, extra }
}

const round = (value, digits) => Number(value.toFixed(digits))
