#!/usr/bin/env node
// A stand-in for `wrangler` on PATH, for the deploy tests (no Cloudflare account is reachable in
// tests). It logs each call to $FAKE_WRANGLER_LOG and answers as wrangler 4 does; $FAKE_WRANGLER
// (JSON) can make one command fail or report existing secrets.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'

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
    console.log(JSON.stringify(secretNames().map((name) => ({ name, type: 'secret_text' }))))
    break
  // With $FAKE_WRANGLER_SECRETS_FILE, the Worker's secrets are that dotenv file: a local server
  // reading it (its .dev.vars) gets a put or a delete as a deployed Worker gets a new version.
  case 'secret put': {
    const value = readFileSync(0, 'utf8')
    const file = process.env.FAKE_WRANGLER_SECRETS_FILE
    writeFileSync(
      file,
      `${withoutSecret(readFileSync(file, 'utf8'), args[2])}${args[2]}=${value}\n`,
    )
    console.log(`✨ Success! Uploaded secret ${args[2]}`)
    break
  }
  case 'secret delete': {
    const file = process.env.FAKE_WRANGLER_SECRETS_FILE
    writeFileSync(file, withoutSecret(readFileSync(file, 'utf8'), args[2]))
    console.log(`✨ Success! Deleted secret ${args[2]}`)
    break
  }
  case 'deploy':
    console.log(
      'Uploaded automateos (1.2 sec)\nDeployed automateos triggers (0.3 sec)\n  https://automateos.ada.workers.dev\n  schedule: * * * * *',
    )
    break
  default:
    console.error(`fake wrangler: unexpected command ${args.join(' ')}`)
    process.exit(2)
}

function secretNames() {
  const file = process.env.FAKE_WRANGLER_SECRETS_FILE
  if (!file) return settings.secrets ?? []
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.split('=')[0])
    .filter(Boolean)
}

function withoutSecret(text, name) {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !line.startsWith(`${name}=`))
    .join('')
}
