// Waiting for accepted webhooks to become finished runs, shared by the end-to-end and soak scenarios.

// Generous: 2,000 runs finish in well under a minute here; after this they count as lost.
export const FINISH_TIMEOUT_MS = 300_000
export const POLL_MS = 500
export const FINISHED = new Set(['succeeded', 'failed', 'completed_with_errors'])

/** When every key in `keys` has reached the sink, or null when time ran out first. */
export async function waitForSink(sink, keys, started) {
  while (Date.now() - started < FINISH_TIMEOUT_MS) {
    const { seen } = sink.stats()
    if (keys.every((key) => seen.has(key))) return Date.now()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return null
}

/**
 * Waits until every accepted run has finished, or time is up. Between full listings it only asks
 * for queued and running runs: paging all 2,000 runs twice a second would load the D1 under test.
 */
export async function waitForRuns(automate, workflowId, runIds) {
  const started = Date.now()
  while (Date.now() - started < FINISH_TIMEOUT_MS) {
    if ((await activeRuns(automate, workflowId)) === 0) {
      const statuses = await listStatuses(automate, workflowId)
      if (runIds.every((id) => FINISHED.has(statuses.get(id))))
        return { statuses, finishedAt: Date.now() }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
  return { statuses: await listStatuses(automate, workflowId), finishedAt: null }
}

async function activeRuns(automate, workflowId) {
  let count = 0
  for (const status of ['queued', 'running'])
    count += (await listStatuses(automate, workflowId, `&status=${status}`)).size
  return count
}

export async function listStatuses(automate, workflowId, filter = '') {
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

export function tally(runIds, statuses) {
  const counts = {}
  for (const id of runIds) {
    const status = statuses.get(id) ?? 'no row'
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}
