// Pure helpers for the upgrade test (scripts/migrations-upgrade.test.ts): what to seed a table with,
// and which seeded values a migration lost. No database here: the test runs the SQL.

/** A value for `column` that its declared type accepts, unique per table, step and row. */
export function seedValue(table, column, step, row) {
  const type = String(column.type).toUpperCase()
  if (type.includes('INT')) return 1_700_000_000_000 + step * 1000 + row
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return step + row / 8
  // Text columns often hold JSON (definitions, payloads, errors): seed JSON so a data migration
  // that reads it has something to read.
  return JSON.stringify({ seed: `${table}.${column.name}`, step, row })
}

/** Rows to insert into each table: `rowsPerTable` per table, every column filled. */
export function seedRows(tables, step, rowsPerTable = 3) {
  return tables.flatMap(({ name, columns }) =>
    Array.from({ length: rowsPerTable }, (_, row) => ({
      table: name,
      values: Object.fromEntries(columns.map((c) => [c.name, seedValue(name, c, step, row)])),
    })),
  )
}

/**
 * What a migration lost: each seeded row must still be in its table with every column that still
 * exists unchanged; a dropped table or column loses data unless `allowed` names it (as
 * "table" or "table.column") with the reason.
 */
export function lostData(seeded, after, allowed = {}) {
  const losses = []
  for (const { table, values } of seeded) {
    if (allowed[table]) continue
    const now = after[table]
    if (!now) {
      losses.push(`table ${table} is gone, with its rows`)
      continue
    }
    for (const column of Object.keys(values)) {
      if (!now.columns.includes(column) && !allowed[`${table}.${column}`])
        losses.push(`column ${table}.${column} is gone, with its values`)
    }
    const kept = Object.keys(values).filter((c) => now.columns.includes(c))
    const wanted = JSON.stringify(kept.map((c) => values[c]))
    if (!now.rows.some((r) => JSON.stringify(kept.map((c) => r[c])) === wanted))
      losses.push(`a row of ${table} is gone or changed: ${JSON.stringify(values)}`)
  }
  return [...new Set(losses)]
}
