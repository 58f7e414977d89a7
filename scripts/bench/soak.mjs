// Scenario 5: a long burst against `npm start` itself (scripts/start.mjs, run from the snapshot
// with its own .dev.vars and state): 10 s of webhooks at 50 connections, then at once 2,000 more
// at 20, against transform → http-request. It reports failed requests, lost and duplicated runs,
// the peak open descriptors of every process `npm start` runs, the log it wrote, and whether it
// still answers and stops cleanly afterwards. Goals: 0 failed, 0 lost, still answering.
import autocannon from 'autocannon'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { adminApi, waitForHealth } from '../lib/local-api.mjs'
import { canWatchDescriptors, processTree, watchDescriptors } from './lib/descriptors.mjs'
import { logPath, snapshotDir } from './lib/paths.mjs'
import { freePort, releasePort } from './lib/ports.mjs'
import { startProcess, stopProcess } from './lib/processes.mjs'
import { FINISHED, tally, waitForRuns, waitForSink } from './lib/runs.mjs'
import { startSink } from './lib/sink.mjs'
import { payload, soakWorkflow } from './lib/workflows.mjs'

const FIRST = { connections: 50, seconds: 10 }
const SECOND = { connections: 20, requests: 2_000 }
const STOP_TIMEOUT_MS = 30_000
const OWN_GROUP = canWatchDescriptors()
  ? processTree(process.pid).find((p) => p.pid === process.pid)?.pgrp
  : undefined

export async function soak() {
  const sink = await startSink()
  const port = await freePort()
  const logFile = logPath('soak-npm-start')
  // SOAK_INSPECTOR=1: the same burst with the DevTools inspector on, as `wrangler dev` runs it.
  const inspectorPort = process.env.SOAK_INSPECTOR === '1' ? await freePort() : undefined
  const env = {
    PORT: String(port),
    WRANGLER_SEND_METRICS: 'false',
    ...(inspectorPort ? { INSPECTOR_PORT: String(inspectorPort) } : {}),
  }
  const start = startProcess(process.execPath, ['scripts/start.mjs'], {
    cwd: snapshotDir,
    env,
    logFile,
  })
  const base = `http://127.0.0.1:${port}`
  // start.mjs runs its server in a process group of its own: remember it to stop it in any case.
  const groups = new Set()
  try {
    await waitForHealth(base, { stopped: () => start.exitCode !== null })
    for (const { pgrp } of canWatchDescriptors() ? processTree(start.pid) : []) groups.add(pgrp)
    const token = readFileSync(join(snapshotDir, '.dev.vars'), 'utf8').match(/ADMIN_TOKEN=(.+)/)[1]
    const api = adminApi(base, token)
    const automate = { api: (path) => fetch(`${base}${path}`, auth(token)) }
    const workflow = await api('POST', '/api/workflows', soakWorkflow(sink.url))

    const logBefore = statSync(logFile).size
    const watch = canWatchDescriptors() ? watchDescriptors(start.pid, 250, groups) : null
    const started = Date.now()
    const first = await burst(workflow.webhookUrl, FIRST)
    const second = await burst(workflow.webhookUrl, SECOND)
    const runIds = [...first.runIds, ...second.runIds]
    const keys = runIds.map((id) => `${id}:deliver`)
    const deliveredAt = await waitForSink(sink, keys, started)
    const descriptors = watch?.stop() ?? null
    const { statuses } = await waitForRuns(automate, workflow.id, runIds)
    const answering = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })
      .then((response) => response.status === 200)
      .catch(() => false)
    const logBytes = statSync(logFile).size - logBefore
    const stoppedCleanly = await stopGracefully(start)
    const stats = sink.stats()
    const unfinished = runIds.filter((id) => !FINISHED.has(statuses.get(id)))
    return {
      inspector: Boolean(inspectorPort),
      phases: [
        { connections: FIRST.connections, seconds: FIRST.seconds, ...first.summary },
        { connections: SECOND.connections, requests: SECOND.requests, ...second.summary },
      ],
      failedRequests: first.summary.failed + second.summary.failed,
      accepted: runIds.length,
      deliveredSeconds: deliveredAt ? (deliveredAt - started) / 1000 : null,
      lost: unfinished.length,
      lostByStatus: tally(unfinished, statuses),
      failedRuns: runIds.filter(
        (id) => FINISHED.has(statuses.get(id)) && statuses.get(id) !== 'succeeded',
      ).length,
      duplicated: stats.repeats,
      peakOpenDescriptors: descriptors,
      logBytes,
      answeringAfterwards: answering,
      stoppedCleanly,
    }
  } finally {
    await stopProcess(start)
    for (const pgrp of groups) killGroup(pgrp)
    releasePort(port)
    if (inspectorPort) releasePort(inspectorPort)
    await sink.stop()
  }
}

/** One phase of load; collects the run id of every 202. */
async function burst(url, { connections, seconds, requests }) {
  const runIds = []
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload()),
    connections,
    ...(seconds ? { duration: seconds } : { amount: requests }),
    requests: [
      {
        onResponse: (status, body) => {
          if (status === 202) runIds.push(JSON.parse(body).runId)
        },
      },
    ],
  })
  return {
    runIds,
    summary: {
      rps: Number(result.requests.average.toFixed(1)),
      p99Ms: result.latency.p99,
      accepted: runIds.length,
      failed: result.non2xx + result.errors + result.timeouts,
    },
  }
}

/** Ctrl-C as a user would (SIGINT to `npm start` alone): true when it and its server exit. */
async function stopGracefully(child) {
  if (child.exitCode !== null) return false
  child.kill('SIGINT')
  const exited = await Promise.race([
    child.exited.then((code) => code === 0),
    new Promise((resolve) => setTimeout(() => resolve(false), STOP_TIMEOUT_MS)),
  ])
  return exited
}

function killGroup(pgrp) {
  if (pgrp === OWN_GROUP) return
  try {
    process.kill(-pgrp, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

const auth = (token) => ({ headers: { authorization: `Bearer ${token}` } })
