export type StatementCounts = {
  calls: number
  rowsRead: number
  rowsWritten: number
  busyMs: number
}

export type D1Counts = {
  /** Awaited calls that reach D1: one per run/all/first/raw, one per batch. */
  roundTrips: number
  statements: number
  rowsRead: number
  rowsWritten: number
  /** Calls whose result carries no meta (raw()), so their rows are not in the sums. */
  unmetered: number
  /** Time spent awaiting D1, in ms. */
  awaitMs: number
  /**
   * D1's own time on these statements: the sum of each result's meta.duration, in ms. A database
   * runs one statement at a time, so this bounds how many runs a second one database can serve.
   */
  busyMs: number
  /** The same by statement (its first words), to show where the rows go. */
  bySql: Record<string, StatementCounts>
}

export const emptyCounts = (): D1Counts => ({
  roundTrips: 0,
  statements: 0,
  rowsRead: 0,
  rowsWritten: 0,
  unmetered: 0,
  awaitMs: 0,
  busyMs: 0,
  bySql: {},
})

const INNER = Symbol('inner')
const SQL = Symbol('sql')
type Wrapped = D1PreparedStatement & { [INNER]: D1PreparedStatement; [SQL]: string }
type Metered = { sql: string; meta: D1Meta | undefined }

/** env.DB as the code under test sees it, with each round trip counted and its meta summed. */
export function countingD1(db: D1Database, counts: D1Counts): D1Database {
  return {
    prepare: (query: string) => wrap(db.prepare(query), label(query), counts),
    batch: (statements: D1PreparedStatement[]) =>
      timed(counts, statements.length, async () => {
        const results = await db.batch(statements.map((s) => (s as Wrapped)[INNER] ?? s))
        const metered = results.map((r, i) => ({
          sql: (statements[i] as Wrapped)[SQL],
          meta: r.meta,
        }))
        return [results, metered] as const
      }),
    exec: (query: string) => timed(counts, 1, async () => [await db.exec(query), null] as const),
    dump: () => db.dump(),
    withSession: () => {
      throw new Error('withSession is not counted by the bench')
    },
  } as unknown as D1Database
}

function wrap(inner: D1PreparedStatement, sql: string, counts: D1Counts): Wrapped {
  const one = async <T extends D1Result>(call: () => Promise<T>) =>
    timed(counts, 1, async () => {
      const result = await call()
      return [result, [{ sql, meta: result.meta }]] as const
    })
  const statement = {
    [INNER]: inner,
    [SQL]: sql,
    bind: (...values: unknown[]) => wrap(inner.bind(...values), sql, counts),
    run: () => one(() => inner.run()),
    all: () => one(() => inner.all()),
    // first() drops meta, so it is answered from all(): the same single round trip.
    first: async (column?: string) => {
      const { results } = await statement.all()
      const row = (results[0] ?? null) as Record<string, unknown> | null
      return column === undefined || row === null ? row : (row[column] ?? null)
    },
    raw: (options?: { columnNames?: boolean }) =>
      timed(counts, 1, async () => {
        const rows = await inner.raw(options as { columnNames: true })
        return [rows, null] as const
      }),
  }
  return statement as unknown as Wrapped
}

/** The statement's first words, enough to tell the engine's statements apart. */
function label(sql: string) {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 48)
}

async function timed<T>(
  counts: D1Counts,
  statements: number,
  call: () => Promise<readonly [T, Metered[] | null]>,
): Promise<T> {
  const started = performance.now()
  try {
    const [result, metered] = await call()
    if (metered === null) counts.unmetered += 1
    for (const { sql, meta } of metered ?? []) {
      const read = meta?.rows_read ?? 0
      const written = meta?.rows_written ?? 0
      const busy = meta?.duration ?? 0
      counts.rowsRead += read
      counts.rowsWritten += written
      counts.busyMs += busy
      const entry = (counts.bySql[sql] ??= { calls: 0, rowsRead: 0, rowsWritten: 0, busyMs: 0 })
      entry.calls += 1
      entry.rowsRead += read
      entry.rowsWritten += written
      entry.busyMs += busy
    }
    return result
  } finally {
    counts.awaitMs += performance.now() - started
    counts.roundTrips += 1
    counts.statements += statements
  }
}
