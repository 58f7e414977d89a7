#!/usr/bin/env node
// A stand-in for `wrangler` on PATH, for the deploy tests (no Cloudflare account is reachable in
// tests). It logs each call to $FAKE_WRANGLER_LOG and answers as wrangler 4 does; $FAKE_WRANGLER
// (JSON) can make one command fail or report existing secrets.
import { appendFileSync, readFileSync } from 'node:fs'

const args = process.argv.slice(2)
const settings = JSON.parse(process.env.FAKE_WRANGLER ?? '{}')
const command = ['d1', 'queues', 'secret'].includes(args[0]) ? `${args[0]} ${args[1]}` : args[0]
const entry = { args }
const secretsFile = args[args.indexOf('--secrets-file') + 1]
if (args.includes('--secrets-file'))
  entry.secretNames = Object.keys(JSON.parse(readFileSync(secretsFile, 'utf8')))
appendFileSync(process.env.FAKE_WRANGLER_LOG, `${JSON.stringify(entry)}\n`)

if (settings.fail && command.startsWith(settings.fail)) {
  console.error(`✘ [ERROR] ${settings.fail} failed (fake)`)
  process.exit(1)
}
switch (command) {
  case 'whoami':
    console.log('You are logged in with an OAuth Token, associated with the email ada@example.com.')
    break
  case 'd1 create':
    console.log(
      `✅ Successfully created DB '${args[2]}'\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${args[2]}"\ndatabase_id = "5e3a1f0c-6b2d-4c8e-9f1a-2b3c4d5e6f70"`,
    )
    break
  case 'queues create':
    console.log(`✅ Created queue ${args[2]}.`)
    break
  case 'd1 migrations':
    console.log('✅ Applied migrations')
    break
  case 'secret list':
    console.log(
      JSON.stringify((settings.secrets ?? []).map((name) => ({ name, type: 'secret_text' }))),
    )
    break
  case 'deploy':
    console.log(
      'Uploaded automateos (1.2 sec)\nDeployed automateos triggers (0.3 sec)\n  https://automateos.ada.workers.dev\n  schedule: * * * * *',
    )
    break
  default:
    console.error(`fake wrangler: unexpected command ${args.join(' ')}`)
    process.exit(2)
}
