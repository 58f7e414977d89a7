// Reads `wrangler d1 migrations apply` output, which redraws its whole table after every step
// (12 tables for 11 migrations), so that `npm start` can print one line per step instead.
// Pure: scripts/lib/apply-migrations.mjs feeds it the output as it arrives.

const PENDING = /Migrations to be applied:([\s\S]*?)(?:About to apply|$)/
const FILE = /│\s*(\S+\.sql)\s*│/g
const STEP_DONE = /commands executed successfully/g

/**
 * The migrations wrangler is applying (names from its first table, in order) and how many of them
 * it has finished so far; `upToDate` when it had none to apply.
 */
export function migrationProgress(output) {
  const table = PENDING.exec(output)?.[1] ?? ''
  const pending = [...table.matchAll(FILE)].map((match) => match[1])
  const done = Math.min(pending.length, output.match(STEP_DONE)?.length ?? 0)
  return { pending, done, upToDate: /No migrations to apply/.test(output) }
}
