import { startWorker } from './wrangler.mjs'
import { payload } from './workflows.mjs'

/** The engine-worker/ bench Worker: the real Engine on local D1, every D1 call counted. */
export async function startEngineWorker() {
  const server = await startWorker({
    name: 'engine',
    config: 'scripts/bench/engine-worker/wrangler.toml',
    port: 8790,
    d1: true,
  })
  return {
    ...server,
    /** Totals over `runs` runs of `definition`, after `warmup` uncounted ones. */
    async measure(definition, runs, warmup = 3) {
      const response = await fetch(server.url, {
        method: 'POST',
        body: JSON.stringify({ definition, payload: payload(), runs, warmup }),
      })
      if (response.status !== 200)
        throw new Error(`engine worker: ${response.status} ${await response.text()}`)
      return response.json()
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
      { calls: c.calls / runs, rowsRead: c.rowsRead / runs, rowsWritten: c.rowsWritten / runs },
    ]),
  )
}
