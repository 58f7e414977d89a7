#!/usr/bin/env node
// `npm run workflows -- pull | push | diff [dir]`: workflows/*.json (one file per workflow) kept in
// step with a running AutomateOS, matched by name. The logic is in lib/workflow-files.mjs.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { ApiError, automateos, resolveTarget } from './lib/automateos-client.mjs'
import { describeRefusal, planPull, planPush, schemaResolver } from './lib/workflow-files.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const USAGE = `usage: npm run workflows -- pull | push | diff [dir] [--url URL] [--token TOKEN] [--prune]

  pull   write each workflow on the server to <dir>/<name>.json (default dir: workflows)
  push   create or update the server's workflows from <dir>/*.json, matched by name
  diff   show what push would change, changing nothing
  --prune  pull: delete local files of workflows not on the server; push: delete server
           workflows with no file. Without it nothing is ever deleted.
  --url, --token  default AUTOMATEOS_URL and AUTOMATEOS_TOKEN, else http://localhost:8787 and
           the ADMIN_TOKEN in .dev.vars`

export async function main(
  argv,
  { env = process.env, cwd = process.cwd(), log = console.log } = {},
) {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        prune: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    log(`workflows: ${error.message}\n\n${USAGE}`)
    return 2
  }
  const [command, dirArg = 'workflows'] = parsed.positionals
  if (parsed.values.help || !['pull', 'push', 'diff'].includes(command)) {
    log(
      command && !parsed.values.help
        ? `workflows: unknown command '${command}'\n\n${USAGE}`
        : USAGE,
    )
    return parsed.values.help ? 0 : 2
  }
  const target = resolveTarget(parsed.values, env, join(root, '.dev.vars'))
  if (!target.token) {
    log(
      'workflows: no admin token: pass --token or set AUTOMATEOS_TOKEN (or run npm start once, which writes .dev.vars)',
    )
    return 2
  }
  const dir = resolve(cwd, dirArg)
  const shown = relative(cwd, dir) || '.'
  const api = automateos(target)
  try {
    const [document, remote] = await Promise.all([api.openapi(), api.list()])
    const schema = schemaResolver(document)
    const local = readDir(dir, shown)
    const options = { local, remote, schema, prune: parsed.values.prune }
    if (command === 'pull') return pull(dir, shown, planPull(options), target, log)
    const plan = planPush(options)
    return command === 'diff' ? diff(plan, target, log) : push(plan, api, target, log)
  } catch (error) {
    log(`workflows: ${error.message}`)
    return 1
  }
}

/** Every *.json in `dir`, parsed; a file that does not parse is reported, not skipped silently. */
function readDir(dir, shown) {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(shown, name)
      try {
        const definition = JSON.parse(readFileSync(join(dir, name), 'utf8'))
        if (typeof definition !== 'object' || definition === null || Array.isArray(definition))
          return { file, base: name, error: 'a workflow file holds one JSON object' }
        return { file, base: name, definition }
      } catch (error) {
        return { file, base: name, error: `not valid JSON: ${error.message}` }
      }
    })
}

function pull(dir, shown, plan, target, log) {
  mkdirSync(dir, { recursive: true })
  let written = 0
  for (const { base, name, text } of plan.writes) {
    const path = join(dir, base)
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue
    writeFileSync(path, text)
    written += 1
    log(`wrote    ${join(shown, base)}  (${name})`)
  }
  for (const base of plan.deletes) {
    rmSync(join(dir, base))
    log(`deleted  ${join(shown, base)}  (not on ${target.url})`)
  }
  for (const base of plan.kept)
    log(`kept     ${join(shown, base)}: not on ${target.url} (--prune deletes it)`)
  log(`pulled ${plan.writes.length} workflow(s) from ${target.url}: ${written} file(s) written`)
  return 0
}

function summary(action) {
  switch (action.kind) {
    case 'create':
      return `+ create     ${action.name}  (${action.file})`
    case 'update':
      return `~ update     ${action.name}  (${action.file} -> ${action.id})`
    case 'unchanged':
      return `= unchanged  ${action.name}  (${action.file})`
    case 'delete':
      return `- delete     ${action.name}  (${action.id}: no file)`
    default:
      return `? server only ${action.name}  (${action.id}: no file; --prune deletes it)`
  }
}

function diff(plan, target, log) {
  log(`compared with ${target.url}:`)
  for (const action of plan.actions) {
    log(summary(action))
    if (action.kind === 'update') for (const line of action.diff) log(`    ${line}`)
  }
  for (const problem of plan.problems) log(`! ${problem}`)
  return plan.problems.length ? 1 : 0
}

async function push(plan, api, target, log) {
  let failed = plan.problems.length
  for (const problem of plan.problems) log(`! ${problem}`)
  const counts = { create: 0, update: 0, delete: 0 }
  for (const action of plan.actions) {
    try {
      let saved
      if (action.kind === 'create') saved = await api.create(action.definition)
      else if (action.kind === 'update') saved = await api.replace(action.id, action.definition)
      else if (action.kind === 'delete') await api.remove(action.id)
      else {
        if (action.kind === 'remote-only') log(summary(action))
        continue
      }
      counts[action.kind] += 1
      log(summary(action))
      // Saved anyway, but the file holds what looks like a secret: say where, once per string.
      for (const warning of saved?.warnings ?? [])
        log(`  warning ${warning.path}: ${warning.message}`)
    } catch (error) {
      failed += 1
      if (error instanceof ApiError && error.status === 400)
        for (const line of describeRefusal(action.file, error.status, error.body)) log(`! ${line}`)
      else log(`! ${action.file ?? action.name}: ${error.message}`)
    }
  }
  log(
    `pushed to ${target.url}: ${counts.create} created, ${counts.update} updated, ${counts.delete} deleted` +
      (failed ? `, ${failed} refused` : ''),
  )
  return failed ? 1 : 0
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
