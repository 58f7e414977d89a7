import { readD1Migrations } from '@cloudflare/vitest-plugin'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getPlatformProxy } from 'wrangler'
// @ts-expect-error: a plain .mjs module without types
import { lostData, seedRows } from './lib/migration-check.mjs'

const root = join(import.meta.dirname, '..')
const migrationsDir = join(root, 'migrations')

/**
 * A migration that drops data on purpose names it here, with why: `{ '0012_x.sql': { table:
 * 'reason' } }` or `'table.column'`. Anything else a migration loses fails the test below.
 */
const INTENTIONAL_LOSS: Record<string, Record<string, string>> = {}

type Column = { name: string; type: string }
type Table = { name: string; columns: Column[] }

let proxy: Awaited<ReturnType<typeof getPlatformProxy<{ DB: D1Database }>>>
let db: D1Database

beforeAll(async () => {
  // A database of its own, in memory: a config with nothing but the D1 binding.
  const dir = mkdtempSync(join(tmpdir(), 'automateos-migrations-'))
  const configPath = join(dir, 'wrangler.toml')
  writeFileSync(
    configPath,
    'name = "migrations"\ncompatibility_date = "2026-04-01"\n\n[[d1_databases]]\nbinding = "DB"\n' +
      'database_name = "upgrade"\ndatabase_id = "00000000-0000-0000-0000-000000000001"\n',
  )
  proxy = await getPlatformProxy<{ DB: D1Database }>({ configPath, persist: false })
  db = proxy.env.DB
})
afterAll(() => proxy?.dispose())

async function tables(): Promise<Table[]> {
  const { results } = await db
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table'
       AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'
       ORDER BY name`,
    )
    .all<{ name: string }>()
  return Promise.all(
    results.map(async ({ name }) => {
      const info = await db.prepare('SELECT name, type FROM pragma_table_info(?)').bind(name).all()
      return { name, columns: info.results as Column[] }
    }),
  )
}

async function contents() {
  const all: Record<string, { columns: string[]; rows: Record<string, unknown>[] }> = {}
  for (const table of await tables()) {
    const { results } = await db.prepare(`SELECT * FROM "${table.name}"`).all()
    all[table.name] = { columns: table.columns.map((c) => c.name), rows: results }
  }
  return all
}

describe('upgrades', () => {
  it('every file in migrations/ is one D1 migration, numbered in order', async () => {
    const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'))
    const migrations = await readD1Migrations(migrationsDir)
    expect(migrations.map((m) => m.name)).toEqual(files.sort())
    for (const file of files) expect(file).toMatch(/^\d{4}_[a-z0-9_-]+\.sql$/)
  })

  it('applies each migration to the schema before it, with data in every table, and loses none of it', async () => {
    const migrations = await readD1Migrations(migrationsDir)
    expect(migrations.length).toBeGreaterThanOrEqual(3)
    const seeded: { table: string; values: Record<string, unknown> }[] = []
    for (const [step, migration] of migrations.entries()) {
      // Rows written under every earlier schema ride along, so an old row meets each later migration.
      const rows = seedRows(await tables(), step)
      for (const { table, values } of rows) {
        const columns = Object.keys(values)
        await db
          .prepare(
            `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
             VALUES (${columns.map(() => '?').join(', ')})`,
          )
          .bind(...Object.values(values))
          .run()
      }
      seeded.push(...rows)

      for (const query of migration.queries) {
        try {
          await db.prepare(query).run()
        } catch (error) {
          throw new Error(
            `${migration.name} fails on a database with data in it: ${(error as Error).message}\n${query}`,
          )
        }
      }
      const losses = lostData(seeded, await contents(), INTENTIONAL_LOSS[migration.name])
      expect(
        losses,
        `${migration.name} lost data that existed before it. A migration must carry every row and ` +
          'column forward (copy into the new table before dropping the old one). If a loss is ' +
          'intended, name it with the reason in INTENTIONAL_LOSS in this file.',
      ).toEqual([])
      // What was dropped on purpose is not looked for again.
      for (const key of Object.keys(INTENTIONAL_LOSS[migration.name] ?? {})) {
        for (let i = seeded.length - 1; i >= 0; i--)
          if (seeded[i]!.table === key) seeded.splice(i, 1)
      }
    }
  })
})
