// Scenario 2, also the durable-runs load scenario: every accepted webhook must become exactly one
// finished run, each step run once. It prints `lost` and `duplicated`; both must be 0.
import { startAutomateOS } from './lib/automateos.mjs'
import { pool } from './lib/pool.mjs'
import { startSink } from './lib/sink.mjs'
import { endToEndWorkflow, payload } from './lib/workflows.mjs'

const WEBHOOKS = 2_000
const CONCURRENCY = 20
// Generous: all 2,000 runs finish in well under a minute here; after this they count as lost.
const FINISH_TIMEOUT_MS = 300_000
const POLL_MS = 500
const FINISHED = new Set(['succeeded', 'failed', 'completed_with_errors'])

export async function endToEnd() {
  const sink = await startSink()
  const automate = await startAutomateOS('e2e')
  try {
    const workflow = await automate.createWorkflow(endToEndWorkflow(sink.url))
    const started = Date.now()
    const accepted = await postAll(workflow.webhookUrl)
    const postSeconds = (Date.now() - started) / 1000
    const { statuses, succeededAt } = await waitForRuns(
      automate,
      workflow.id,
      accepted.runIds,
      started,
    )
    const steps = await checkSteps(automate, accepted.runIds)
    const count = (test) => accepted.runIds.filter((id) => test(statuses.get(id))).length
    const lost = count((status) => !FINISHED.has(status))
    const failed = count((status) => FINISHED.has(status) && status !== 'succeeded')
    const sinkStats = sink.stats()
    const seconds = succeededAt ? (succeededAt - started) / 1000 : null
    return {
      runs: WEBHOOKS,
      concurrency: CONCURRENCY,
      accepted: accepted.runIds.length,
      rejected: accepted.rejected,
      postSeconds,
      seconds,
      runsPerSecond: seconds ? Number((accepted.runIds.length / seconds).toFixed(1)) : 0,
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

/**
 * Waits until every accepted run has finished, or time is up. Between full listings it only asks
 * for queued and running runs: paging all 2,000 runs twice a second would load the D1 under test.
 */
async function waitForRuns(automate, workflowId, runIds, started) {
  while (Date.now() - started < FINISH_TIMEOUT_MS) {
    if ((await activeRuns(automate, workflowId)) === 0) {
      const statuses = await listStatuses(automate, workflowId)
      if (runIds.every((id) => FINISHED.has(statuses.get(id)))) {
        const allSucceeded = runIds.every((id) => statuses.get(id) === 'succeeded')
        return { statuses, succeededAt: allSucceeded ? Date.now() : null }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return { statuses: await listStatuses(automate, workflowId), succeededAt: null }
}

async function activeRuns(automate, workflowId) {
  let count = 0
  for (const status of ['queued', 'running'])
    count += (await listStatuses(automate, workflowId, `&status=${status}`)).size
  return count
}

async function listStatuses(automate, workflowId, filter = '') {
  const statuses = new Map()
  let cursor = ''
  do {
    const query = `workflowId=${workflowId}${filter}&limit=200${cursor ? `&cursor=${cursor}` : ''}`
    const response = await automate.api(`/api/runs?${query}`)
    if (response.status !== 200) throw new Error(`GET /api/runs: ${response.status}`)
    const page = await response.json()
    for (const run of page.runs) statuses.set(run.id, run.status)
    cursor = page.nextCursor
  } while (cursor)
  return statuses
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

function tally(runIds, statuses) {
  const counts = {}
  for (const id of runIds) {
    const status = statuses.get(id) ?? 'no row'
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}
