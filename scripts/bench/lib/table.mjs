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
    loadRow('record first', r.automateos),
    loadRow('production mode', r.productionMode),
    loadRow('bare worker', r.bare),
    row('ratio', r.ratio, goal(r.ratio >= 0.4, '≥ 0.4, record first')),
    row(
      'production ratio',
      r.productionModeRatio,
      goal(r.productionModeRatio >= 0.8, '≥ 0.8, answer first'),
    ),
  ],
  e2e: (r) => [
    `End to end: ${r.runs} webhooks, ${r.concurrency} concurrent, transform → transform → http-request`,
    row('', 'delivered in', 'runs/s', 'lost', 'duplicated'),
    row(
      'automateos',
      r.seconds === null ? 'never' : `${r.seconds} s`,
      r.runsPerSecond,
      r.lost,
      r.duplicated,
    ),
    row(
      'bare pipeline',
      r.bare.seconds === null ? 'never' : `${r.bare.seconds} s`,
      r.bare.runsPerSecond,
      r.bare.lost,
      r.bare.duplicated,
    ),
    row('ratio', r.ratio, goal(r.ratio >= 0.5, '≥ 0.5')),
    row('CPU s automateos', cpu(r.cpuSeconds)),
    row('CPU s bare', cpu(r.bare.cpuSeconds)),
    row('accepted', r.accepted, `rejected ${r.rejected}`, `failed ${r.failed}`),
    row('lost', r.lost, goal(r.lost === 0, '0'), r.lost ? JSON.stringify(r.lostByStatus) : ''),
    row('duplicated', r.duplicated, goal(r.duplicated === 0, '0'), detail(r.duplicatedDetail)),
  ],
  soak: (r) => [
    `Soak: npm start${r.inspector ? ' with the inspector' : ''}, ${r.phases
      .map((p) => `${p.seconds ? `${p.seconds} s` : p.requests} at ${p.connections} connections`)
      .join(', then ')}, transform → http-request`,
    row('phases req/s', ...r.phases.map((p) => p.rps)),
    row('failed requests', r.failedRequests, goal(r.failedRequests === 0, '0')),
    row('lost runs', r.lost, goal(r.lost === 0, '0'), `of ${r.accepted} accepted`),
    row('duplicated', r.duplicated, goal(r.duplicated === 0, '0')),
    row(
      'peak open fds',
      r.peakOpenDescriptors?.total ?? 'n/a',
      detail(r.peakOpenDescriptors?.byProcess ?? {}),
    ),
    row('CPU seconds', cpu(r.peakOpenDescriptors?.cpuSeconds)),
    row('log written', `${fixed(r.logBytes / 1024, 0)} KiB`),
    row('answering after', r.answeringAfterwards, goal(r.answeringAfterwards, 'true')),
    row('stopped cleanly', r.stoppedCleanly),
  ],
  engine: (r) => {
    const e2e = r.workflows.endToEnd
    const five = r.workflows.fiveNode
    return [
      `Engine: ${e2e.runs} runs of each workflow, ${r.workflows.fiftyTransforms.runs} of the 50 transforms (clock step ${r.clockResolutionMs} ms)`,
      row('', 'D1 trips', 'rows written', 'D1 busy ms', 'runs/s per DB'),
      ...[e2e, five].map((w) =>
        row(
          `${w.nodes} nodes`,
          fixed(w.d1RoundTripsPerRun, 1),
          fixed(w.rowsWrittenPerRun, 1),
          fixed(w.d1BusyMsPerRun, 3),
          w.runsPerSecondPerDatabase ?? 'n/a',
          w.workflow,
        ),
      ),
      row(
        'e2e D1 trips/run',
        fixed(e2e.d1RoundTripsPerRun, 1),
        goal(e2e.d1RoundTripsPerRun <= e2e.effectfulSteps + 1, `≤ ${e2e.effectfulSteps + 1}`),
      ),
      row(
        'e2e rows/run',
        fixed(e2e.rowsWrittenPerRun, 1),
        goal(e2e.rowsWrittenPerRun <= e2e.nodes + 4, `≤ ${e2e.nodes + 4}`),
        `ingest ${fixed(e2e.ingestRowsWrittenPerRun, 1)} + engine ${fixed(e2e.engineRowsWrittenPerRun, 1)}`,
      ),
      row(
        '5-node rows/run',
        fixed(five.rowsWrittenPerRun, 1),
        goal(five.rowsWrittenPerRun <= five.nodes + 4, `≤ ${five.nodes + 4}`),
      ),
      row(
        'overhead/node',
        `${fixed(r.overheadUsPerNode, 0)} µs`,
        `excluding D1, ${r.nodes} transforms`,
      ),
      row('D1 trips/node', fixed(r.d1RoundTripsPerNode, 3), `${r.nodes} transforms`),
    ]
  },
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

const loadRow = (label, l) => row(label, l.rps, l.p50Ms, l.p99Ms, l.non2xx, l.errors)
const cpu = (seconds) => (seconds ? detail(seconds, (v) => fixed(v, 1)) : 'n/a')
const goal = (met, target) => `${met ? 'ok' : 'MISSED'} (goal ${target})`
const fixed = (value, digits) => Number(value).toFixed(digits)
const detail = (object, format = String) =>
  Object.entries(object)
    .map(([k, v]) => `${k} ${format(v)}`)
    .join(', ')

function row(label, ...cells) {
  return `  ${label.padEnd(18)}${cells.map((c) => String(c).padEnd(12)).join(' ')}`.trimEnd()
}
