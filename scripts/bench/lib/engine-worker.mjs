import { startWorker } from './wrangler.mjs'
import { payload } from './workflows.mjs'

/** The engine-worker/ bench Worker: the real Engine on local D1, every D1 call counted. */
export async function startEngineWorker() {
  const server = await startWorker({
    name: 'engine',
    config: 'scripts/bench/engine-worker/wrangler.toml',
    d1: true,
  })
  return {
    ...server,
    /** Totals over `runs` runs of `definition`, after `warmup` uncounted ones. */
    async measure(definition, runs, warmup = 3) {
      const job = JSON.stringify({ definition, payload: payload(), runs, warmup })
      for (let attempt = 1; ; attempt++) {
        const response = await fetch(server.url, { method: 'POST', body: job })
        if (response.status === 200) return response.json()
        const text = await response.text()
        // The local proxy sometimes loses its connection to the Worker between two long jobs;
        // a job is self-contained (its own workflow and counters), so it can simply run again.
        if (attempt < 3 && /Network connection lost/.test(text)) {
          console.error(`bench: engine worker lost its connection; running the job again`)
          continue
        }
        throw new Error(`engine worker: ${response.status} ${text}`)
      }
    },
  }
}

/** Per-run and per-node figures from the engine worker's totals. */
export function perRun(measured, nodes) {
  const { runs, ingest, engine } = measured
  const engineCpuMs = (engine.wallMs - engine.awaitMs) / runs
  const ingestCpuMs = (ingest.wallMs - ingest.awaitMs) / runs
  return {
    runs,
    statuses: measured.statuses,
    engineCpuMsPerRun: engineCpuMs,
    overheadUsPerNode: (engineCpuMs * 1000) / nodes,
    d1MsPerRun: engine.awaitMs / runs,
    d1RoundTripsPerRun: engine.roundTrips / runs,
    d1RoundTripsPerNode: engine.roundTrips / runs / nodes,
    engineRowsWrittenPerRun: engine.rowsWritten / runs,
    engineRowsReadPerRun: engine.rowsRead / runs,
    ingestCpuMsPerRun: ingestCpuMs,
    ingestRoundTripsPerRun: ingest.roundTrips / runs,
    ingestRowsWrittenPerRun: ingest.rowsWritten / runs,
    ingestRowsReadPerRun: ingest.rowsRead / runs,
    rowsWrittenPerRun: (engine.rowsWritten + ingest.rowsWritten) / runs,
    // D1's own time (meta.duration) per run, ingest and Engine: one database runs one statement
    // at a time, so 1000 / this is the most runs a second it can record.
    d1BusyMsPerRun: (engine.busyMs + ingest.busyMs) / runs,
    runsPerSecondPerDatabase: perSecond(engine.busyMs + ingest.busyMs, runs),
    rowsReadPerRun: (engine.rowsRead + ingest.rowsRead) / runs,
    messageBytes: ingest.messageBytes / runs,
    continuationsPerRun: engine.queueSends / runs,
    clockResolutionMs: measured.clockResolutionMs,
    statements: {
      ingest: perStatement(ingest.bySql, runs),
      engine: perStatement(engine.bySql, runs),
    },
  }
}

function perStatement(bySql, runs) {
  return Object.fromEntries(
    Object.entries(bySql).map(([sql, c]) => [
      sql,
      {
        calls: c.calls / runs,
        rowsRead: c.rowsRead / runs,
        rowsWritten: c.rowsWritten / runs,
        busyMs: c.busyMs / runs,
      },
    ]),
  )
}

/** Runs a second that `busyMs` of D1 time over `runs` runs allows, or null when none was measured. */
const perSecond = (busyMs, runs) => (busyMs > 0 ? Math.round((1000 * runs) / busyMs) : null)
