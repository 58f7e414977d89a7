#!/usr/bin/env node
// `npm run rotate-key`: stored credentials re-encrypted under a new ENCRYPTION_KEY (SECURITY.md).
// The new key goes into the next slot (ENCRYPTION_KEY_2, _3…) beside the old one, in .dev.vars or,
// with --remote, as a Worker secret; the Worker then encrypts with it and still decrypts with the
// old one, and POST /api/encryption-key/re-encrypt moves every credential over. The old slot is
// deleted afterwards (--remove-old), once nothing is left on it. No key is ever printed: the new
// one exists only in this process's memory on its way into .dev.vars or `wrangler secret put`.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { resolveTarget } from './lib/automateos-client.mjs'
import { randomSecret } from './lib/dev-vars.mjs'
import {
  keySlots,
  planRotation,
  removalBlocker,
  varNames,
  withVar,
  withoutVars,
} from './lib/key-slots.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const USAGE = `usage: npm run rotate-key -- [--remote] [--url URL] [--token TOKEN] [--remove-old]

  (no option)  local: add a new key to .dev.vars and re-encrypt the credentials of the
               AutomateOS that npm start runs (http://localhost:8787)
  --remote     deployed: add the new key with wrangler secret put and re-encrypt the
               credentials of the Worker at --url (or AUTOMATEOS_URL)
  --remove-old delete the old key slots, once every credential is on the new key
  --url, --token  default AUTOMATEOS_URL and AUTOMATEOS_TOKEN, else http://localhost:8787
               and the ADMIN_TOKEN in .dev.vars`

// How long the Worker may take to start using a new key: wrangler dev reloads on a .dev.vars
// change, and a secret put deploys a new version.
const PICKUP_MS = { local: 30_000, remote: 90_000 }

export async function main(argv, { env = process.env, log = console.log } = {}) {
  let options
  try {
    options = parseArgs({
      args: argv,
      options: {
        remote: { type: 'boolean', default: false },
        'remove-old': { type: 'boolean', default: false },
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    log(`rotate-key: ${error.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    log(USAGE)
    return 0
  }
  const devVarsPath = join(root, '.dev.vars')
  if (options.remote && !(options.url ?? env.AUTOMATEOS_URL)) {
    log('rotate-key: --remote needs the Worker URL: --url https://… or AUTOMATEOS_URL')
    return 2
  }
  const target = resolveTarget(options, env, devVarsPath)
  if (!target.token) {
    log('rotate-key: no admin token: pass --token or set AUTOMATEOS_TOKEN')
    return 2
  }
  const keys = options.remote ? remoteKeys(env) : localKeys(devVarsPath)
  const api = adminApi(target)
  try {
    if (options['remove-old']) return await removeOld(keys, api, log)
    return await rotate(keys, api, log, options.remote ? 'remote' : 'local')
  } catch (error) {
    log(`rotate-key: ${error.message}`)
    return 1
  }
}

async function rotate(keys, api, log, where) {
  const plan = planRotation(keys.names())
  if (plan.action === 'refuse') {
    log(`rotate-key: no ENCRYPTION_KEY is set in ${keys.where}: there is nothing to rotate`)
    return 1
  }
  // Reachable, and the token right, before anything is written.
  await api('GET', '/api/encryption-key')
  if (plan.action === 'start') {
    keys.add(plan.newSlot, randomSecret())
    log(
      `rotate-key: added a new key to ${keys.where} as ${plan.newSlot}; ${plan.old} stays until the end`,
    )
  } else {
    log(
      `rotate-key: ${plan.newSlot} is already set beside ${plan.old.join(', ')}: continuing that rotation`,
    )
  }
  const status = await waitForSlot(api, plan.newSlot, PICKUP_MS[where], where, log)
  if (!status) return 1

  let after
  let moved = 0
  const failed = []
  let last
  do {
    last = await api('POST', '/api/encryption-key/re-encrypt', after === undefined ? {} : { after })
    moved += last.reEncrypted
    failed.push(...last.failed)
    after = last.next ?? undefined
  } while (after !== undefined)
  log(
    `rotate-key: re-encrypted ${moved} credential(s) under ${plan.newSlot} (key id ${last.current.keyId})`,
  )

  if (failed.length) {
    for (const f of failed) log(`  ${f.name}: ${f.message}`)
    log(
      `rotate-key: ${failed.length} credential(s) could not be re-encrypted (above); keep ` +
        `${plan.old.join(', ')} until they are fixed (set the key with that id again, or re-create them)`,
    )
    return 1
  }
  if (last.remaining > 0) {
    // Written meanwhile by a Worker instance that had not picked up the new key yet.
    log(
      `rotate-key: ${last.remaining} credential(s) were written under an old key meanwhile; run npm run rotate-key again`,
    )
    return 1
  }
  const flag = where === 'remote' ? ' --remote' : ''
  log(
    `rotate-key: every credential is on ${plan.newSlot}. ${plan.old.join(', ')} can be removed ` +
      `now: npm run rotate-key --${flag} --remove-old`,
  )
  return 0
}

async function removeOld(keys, api, log) {
  const slots = keySlots(keys.names())
  const blocker = removalBlocker(slots, await api('GET', '/api/encryption-key'))
  if (blocker) {
    log(`rotate-key: not removing any key: ${blocker}`)
    return 1
  }
  const old = slots.slice(1)
  for (const slot of old) keys.remove(slot)
  log(`rotate-key: removed ${old.join(', ')} from ${keys.where}; ${slots[0]} is the key now`)
  return 0
}

/** Polls until the Worker encrypts with `slot`; its status, or undefined after `ms`. */
async function waitForSlot(api, slot, ms, where, log) {
  const deadline = Date.now() + ms
  for (;;) {
    const status = await api('GET', '/api/encryption-key')
    if (status.current.slot === slot) return status
    if (Date.now() > deadline) {
      log(
        `rotate-key: the Worker still encrypts with ${status.current.slot}, not ${slot}. ` +
          (where === 'local'
            ? 'Restart npm start (it reads .dev.vars), then run npm run rotate-key again to continue.'
            : 'Check `npx wrangler deployments list`, then run npm run rotate-key -- --remote again to continue.'),
      )
      return undefined
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** The key slots in .dev.vars: read, added to, removed from. */
function localKeys(path) {
  const read = () => (existsSync(path) ? readFileSync(path, 'utf8') : '')
  return {
    where: '.dev.vars',
    names: () => varNames(read()),
    add: (slot, value) => writeFileSync(path, withVar(read(), slot, value), { mode: 0o600 }),
    remove: (slot) => writeFileSync(path, withoutVars(read(), [slot]), { mode: 0o600 }),
  }
}

/** The key slots among the deployed Worker's secrets, through wrangler. */
function remoteKeys(env) {
  const PATH = [env.PATH, join(root, 'node_modules', '.bin')].filter(Boolean).join(delimiter)
  const wrangler = (args, input) => {
    const result = spawnSync('wrangler', args, {
      cwd: root,
      encoding: 'utf8',
      input,
      env: { ...env, PATH, CI: '1' },
    })
    if (result.error) throw new Error(`could not run wrangler: ${result.error.message}`)
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
    if (result.status !== 0)
      throw new Error(`wrangler ${args.slice(0, 2).join(' ')} failed:\n${output}`)
    return result.stdout
  }
  return {
    where: "the Worker's secrets",
    names: () => {
      const listed = JSON.parse(wrangler(['secret', 'list', '--format', 'json']))
      return listed.map((secret) => secret.name)
    },
    // The value goes to wrangler on stdin, never on a command line (ps would show it).
    add: (slot, value) => wrangler(['secret', 'put', slot], value),
    remove: (slot) => wrangler(['secret', 'delete', slot]),
  }
}

function adminApi({ url, token }) {
  return async (method, path, body) => {
    let response
    try {
      response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      })
    } catch (error) {
      throw new Error(
        `cannot reach AutomateOS at ${url} (${error.cause?.code ?? error.message}); start it ` +
          '(npm start) and run npm run rotate-key again: a rotation continues where it stopped',
      )
    }
    const data = await response.json().catch(() => null)
    if (!response.ok)
      throw new Error(`${method} ${path}: ${data?.error?.message ?? `HTTP ${response.status}`}`)
    return data
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
