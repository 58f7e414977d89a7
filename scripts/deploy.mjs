#!/usr/bin/env node
// `npm run deploy`: AutomateOS in your own Cloudflare account. Creates what is missing (the D1
// database, the two queues, the ADMIN_TOKEN and ENCRYPTION_KEY secrets), applies the D1 migrations, then deploys.
// Safe to run again: each step skips what already exists.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { fileURLToPath } from 'node:url'
import { randomSecret } from './lib/dev-vars.mjs'
import { main as workflows } from './workflows.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const configPath = join(root, 'wrangler.toml')
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000'
const QUEUES = ['automateos-runs', 'automateos-runs-dlq']

/**
 * Runs wrangler and returns its output; `show` passes it through to the terminal as well. The
 * `wrangler` on PATH (npm run puts the project's own first), else the project's node_modules one.
 */
function wrangler(args, { show = true, input } = {}) {
  const PATH = [process.env.PATH, join(root, 'node_modules', '.bin')]
    .filter(Boolean)
    .join(delimiter)
  const result = spawnSync('wrangler', args, {
    cwd: root,
    encoding: 'utf8',
    input,
    env: { ...process.env, PATH, CI: '1' },
  })
  if (result.error) fail(`could not run wrangler: ${result.error.message}`)
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
  if (show) process.stdout.write(output)
  return { ok: result.status === 0, output }
}

function fail(message) {
  console.error(`deploy: ${message}`)
  process.exit(1)
}

if (
  !wrangler(['whoami'], { show: false }).output.match(
    /associated with the email|You are logged in/i,
  )
) {
  fail('not logged in to Cloudflare: run `npx wrangler login` first')
}

// 1. The D1 database: created once, its id written into wrangler.toml (commit that change).
let config = readFileSync(configPath, 'utf8')
if (config.includes(PLACEHOLDER_ID)) {
  const created = wrangler(['d1', 'create', 'automateos'])
  let id = /database_id"?\s*[=:]\s*"([0-9a-f-]{36})"/.exec(created.output)?.[1]
  if (!id) {
    // Created by an earlier, interrupted deploy: find it by name.
    const list = wrangler(['d1', 'list', '--json'], { show: false })
    try {
      id = JSON.parse(list.output).find((db) => db.name === 'automateos')?.uuid
    } catch {}
  }
  if (!id)
    fail(
      'could not find the D1 database id; create it with `npx wrangler d1 create automateos` and set it in wrangler.toml',
    )
  config = config.replace(PLACEHOLDER_ID, id)
  writeFileSync(configPath, config)
  console.log(`deploy: wrangler.toml now points at D1 database ${id}; commit that change`)
}

// 2. The queues; "already exists" is fine.
for (const queue of QUEUES) {
  const result = wrangler(['queues', 'create', queue], { show: false })
  if (!result.ok && !/already (exists|taken)/i.test(result.output)) fail(result.output)
}

// 3. Migrations before code, so the new Worker never meets an old schema.
if (!wrangler(['d1', 'migrations', 'apply', 'DB', '--remote']).ok) fail('migrations failed')

// 4. Deploy; on the first deploy, with a new ADMIN_TOKEN secret printed once, here only, and a new
// ENCRYPTION_KEY (never printed, never replaced: stored credentials are encrypted under it).
const secrets = wrangler(['secret', 'list', '--format', 'json'], { show: false })
// A Worker not deployed yet has no secrets to list. Any other failure stops here: guessing "no
// ENCRYPTION_KEY" would replace the key and leave every stored credential unreadable.
if (!secrets.ok && !/not found|does not exist|10007/i.test(secrets.output))
  fail(`could not list the Worker's secrets:\n${secrets.output}`)
const has = (name) => secrets.ok && secrets.output.includes(`"${name}"`)
const args = ['deploy']
const newSecrets = {}
let token
if (!has('ADMIN_TOKEN')) newSecrets.ADMIN_TOKEN = token = randomSecret()
// After a key rotation (npm run rotate-key) the key may be in a later slot, ENCRYPTION_KEY_2…
const hasKey = secrets.ok && /"ENCRYPTION_KEY(?:_[1-9][0-9]*)?"/.test(secrets.output)
if (!hasKey) newSecrets.ENCRYPTION_KEY = randomSecret()
let secretsDir
if (Object.keys(newSecrets).length) {
  secretsDir = mkdtempSync(join(tmpdir(), 'automateos-'))
  writeFileSync(join(secretsDir, 'secrets.json'), JSON.stringify(newSecrets), { mode: 0o600 })
  args.push('--secrets-file', join(secretsDir, 'secrets.json'))
}
const deployed = wrangler(args)
if (secretsDir) rmSync(secretsDir, { recursive: true, force: true })
if (!deployed.ok) fail('wrangler deploy failed')

const url = /https:\/\/\S+\.workers\.dev/.exec(deployed.output)?.[0]
console.log(`\nAutomateOS is deployed${url ? ` at ${url}` : ''}.`)
if (url) console.log(`Admin page: ${url}/admin`)
if (token) console.log(`Admin token (shown once; store it in your password manager): ${token}`)

// 5. Workflows kept in git (workflows/*.json, see npm run workflows): offered after a deploy, only
// to a person at a terminal; CI is never asked, and pushes only with --push-workflows.
const workflowsDir = join(root, 'workflows')
const workflowFiles = existsSync(workflowsDir)
  ? readdirSync(workflowsDir).filter((f) => f.endsWith('.json'))
  : []
const target = process.env.AUTOMATEOS_URL ?? url
if (workflowFiles.length && target) {
  const interactive = process.stdin.isTTY && process.stdout.isTTY && !process.env.CI
  const hint = `AUTOMATEOS_URL=${target} AUTOMATEOS_TOKEN=<admin token> npm run workflows -- push`
  let push = process.argv.includes('--push-workflows')
  let pushToken = process.env.AUTOMATEOS_TOKEN ?? token
  if (!push && interactive) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout })
    const question = `\nPush the ${workflowFiles.length} workflow(s) in workflows/ to ${target}? [y/N] `
    push = /^y(es)?$/i.test((await prompt.question(question)).trim())
    if (push && !pushToken) pushToken = (await prompt.question('Admin token: ')).trim()
    prompt.close()
  }
  if (push && pushToken) {
    const code = await workflows(['push', workflowsDir, '--url', target, '--token', pushToken])
    if (code !== 0) fail('some workflows were not pushed (above); the Worker itself is deployed')
  } else if (push) {
    fail(`no admin token to push workflows/ with: run ${hint}`)
  } else {
    console.log(`\nworkflows/ holds ${workflowFiles.length} workflow(s); to push them: ${hint}`)
  }
}
