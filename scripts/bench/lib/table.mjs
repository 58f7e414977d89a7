// The printed summary: one block per scenario, each figure next to its goal.

export function printTable(results, ran) {
  const { machine: m } = results
  const lines = [
    `AutomateOS bench ${results.date}`,
    `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, load ${m.loadAverage1m} · node ${results.versions.node}, wrangler ${results.versions.wrangler}, workerd ${results.versions.workerd}`,
  ]
  for (const name of ran)
    lines.push('', ...(failed(results[key(name)]) ?? BLOCKS[name](results[key(name)])))
  console.log(lines.join('\n'))
}

const key = (name) => ({ e2e: 'endToEnd' })[name] ?? name

function failed(section) {
  return section?.error ? [`${section.title ?? 'scenario'}: FAILED: ${section.error}`] : null
}

const BLOCKS = {
  ingest: (r) => [
    `Ingest: ${r.bodyBytes} B JSON webhook, ${r.connections} connections, ${r.seconds} s (autocannon)`,
    row('', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'),
    row(
      'automateos',
      r.automateos.rps,
      r.automateos.p50Ms,
      r.automateos.p99Ms,
      r.automateos.non2xx,
      r.automateos.errors,
    ),
    row('bare worker', r.bare.rps, r.bare.p50Ms, r.bare.p99Ms, r.bare.non2xx, r.bare.errors),
    row('ratio', r.ratio, goal(r.ratio >= 0.9, '≥ 0.9')),
  ],
  e2e: (r) => [
    `End to end: ${r.runs} webhooks, ${r.concurrency} concurrent, transform → transform → http-request`,
    row(
      'all succeeded',
      r.seconds === null ? 'never' : `${r.seconds} s`,
      `${r.runsPerSecond} runs/s`,
    ),
    row('accepted', r.accepted, `rejected ${r.rejected}`, `failed ${r.failed}`),
    row('lost', r.lost, goal(r.lost === 0, '0'), r.lost ? JSON.stringify(r.lostByStatus) : ''),
    row('duplicated', r.duplicated, goal(r.duplicated === 0, '0'), detail(r.duplicatedDetail)),
  ],
  engine: (r) => [
    `Engine: ${r.nodes} transform nodes, ${r.runs} runs (clock step ${r.clockResolutionMs} ms)`,
    row('overhead/node', `${fixed(r.overheadUsPerNode, 0)} µs`, 'excluding D1'),
    row(
      'D1 trips/node',
      fixed(r.d1RoundTripsPerNode, 3),
      goal(r.d1RoundTripsPerStep <= 1, '1 per node + 1 claim per run'),
      `${fixed(r.d1RoundTripsPerRun, 1)} per run`,
    ),
    row(
      'rows written/run',
      fixed(r.rowsWrittenPerRun, 1),
      goal(r.rowsWrittenPerRun <= r.nodes + 3, `≤ ${r.nodes + 3}`),
      `ingest ${fixed(r.ingestRowsWrittenPerRun, 1)} + engine ${fixed(r.engineRowsWrittenPerRun, 1)}`,
    ),
    row('rows read/run', fixed(r.rowsReadPerRun, 1)),
  ],
  cost: (r) => [
    `Cost: 1M runs of ${r.workflow}, Workers Paid list prices read ${r.pricesReadOn}`,
    row(
      'per run',
      `${r.usagePerRun.requests} requests`,
      `${r.usagePerRun.queueOps} queue ops`,
      `${r.usagePerRun.rowsRead} rows read`,
      `${r.usagePerRun.rowsWritten} rows written`,
      `${r.usagePerRun.cpuMs} CPU ms`,
    ),
    row(
      'per 1M runs',
      `$${fixed(r.perMillionRunsUsd, 2)}`,
      'allowances not subtracted',
      detail(r.perMillionRunsByLineUsd, (v) => `$${fixed(v, 3)}`),
    ),
    row(
      'month of 1M',
      `$${fixed(r.monthOfMillionRunsUsd, 2)}`,
      '$5 minimum, allowances subtracted',
    ),
  ],
}

const goal = (met, target) => `${met ? 'ok' : 'MISSED'} (goal ${target})`
const fixed = (value, digits) => Number(value).toFixed(digits)
const detail = (object, format = String) =>
  Object.entries(object)
    .map(([k, v]) => `${k} ${format(v)}`)
    .join(', ')

function row(label, ...cells) {
  return `  ${label.padEnd(18)}${cells.map((c) => String(c).padEnd(12)).join(' ')}`.trimEnd()
}
