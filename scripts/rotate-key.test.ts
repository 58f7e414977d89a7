import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from './lib/local-server'

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

// `npm run rotate-key` against a real local AutomateOS, as `npm start` serves it (dev-server.mjs,
// which reloads .dev.vars), in a copy of the project so the rotation edits the copy's .dev.vars.
// A port from 8900-8909 (the workflows CLI test takes 8910-8919), the first one free.
let URL: string
const root = join(import.meta.dirname, '..')
const TOKEN = `rotate-key-${crypto.randomUUID()}`
const OLD_KEY = `old-key-${crypto.randomUUID()}`
const quiet = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

let copy = '' // set first in beforeAll; empty if that never ran
let server: LocalServer | undefined

beforeAll(async () => {
  copy = mkdtempSync(join(tmpdir(), 'automateos-rotate-'))
  for (const entry of ['scripts', 'wrangler.toml', 'package.json', 'tsconfig.json'])
    cpSync(join(root, entry), join(copy, entry), { recursive: true })
  for (const entry of ['src', 'nodes', 'triggers', 'migrations', 'node_modules'])
    symlinkSync(join(root, entry), join(copy, entry))
  writeFileSync(join(copy, '.dev.vars'), `ADMIN_TOKEN=${TOKEN}\nENCRYPTION_KEY=${OLD_KEY}\n`)
  server = await startLocalServer(range(8900, 8909), { root: copy, secrets: 'dev-vars' })
  URL = server.url
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

// Safe when beforeAll failed part-way: a failed start has already stopped its server.
afterAll(async () => {
  await server?.stop()
  if (copy) rmSync(copy, { recursive: true, force: true })
})

const devVars = () => readFileSync(join(copy, '.dev.vars'), 'utf8')

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      // A new connection each time: rotateKey() blocks the event loop, so a kept-alive one that
      // the server closed when idle (or on reloading .dev.vars) is not seen to be closed, and the
      // next request on it failed.
      connection: 'close',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as any }
}

let tokenOverride: Record<string, string> = {}

/** Runs the command in the copy (which reads the copy's .dev.vars for the token). */
function rotateKey(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/rotate-key.mjs', ...args], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...quiet, AUTOMATEOS_URL: URL, AUTOMATEOS_TOKEN: '', ...tokenOverride },
  })
  const out = result.stdout + result.stderr
  // No key, old or new, is ever printed.
  for (const line of devVars().split('\n')) {
    const value = line.split('=')[1]
    if (value && line.startsWith('ENCRYPTION_KEY')) expect(out).not.toContain(value)
  }
  expect(out).not.toContain(OLD_KEY)
  return { code: result.status, out }
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean) {
  const deadline = Date.now() + 30_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

describe('npm run rotate-key (local)', () => {
  it('re-encrypts every credential under a new key, then removes the old one; they still work', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) {
      const created = await api('POST', '/api/credentials', {
        name,
        type: 'http-bearer',
        data: { token: `token-${name}` },
        baseUrl: URL,
      })
      expect(created.status).toBe(201)
    }
    // A wrong admin token: refused before any key is written.
    tokenOverride = { AUTOMATEOS_TOKEN: `wrong-${TOKEN}` }
    const refused = rotateKey()
    tokenOverride = {}
    expect(refused.out).toContain('rotate-key: GET /api/encryption-key: ')
    expect(refused.code).toBe(1)
    expect(devVars()).toBe(`ADMIN_TOKEN=${TOKEN}\nENCRYPTION_KEY=${OLD_KEY}\n`)

    const before = await api('GET', '/api/encryption-key')
    const oldId = before.body.current.keyId

    const first = rotateKey()
    expect(first.out).toContain(
      'rotate-key: added a new key to .dev.vars as ENCRYPTION_KEY_2; ENCRYPTION_KEY stays until the end',
    )
    expect(first.out).toContain('rotate-key: re-encrypted 3 credential(s) under ENCRYPTION_KEY_2')
    expect(first.out).toContain(
      'ENCRYPTION_KEY can be removed now: npm run rotate-key -- --remove-old',
    )
    expect(first.code).toBe(0)
    expect(devVars()).toMatch(/^ENCRYPTION_KEY_2=[A-Za-z0-9_-]{43}$/m)
    expect(devVars()).toContain(`ENCRYPTION_KEY=${OLD_KEY}\n`)
    const rotated = await api('GET', '/api/encryption-key')
    expect(rotated.body.current.slot).toBe('ENCRYPTION_KEY_2')
    expect(rotated.body.current.keyId).not.toBe(oldId)
    expect(rotated.body.credentials).toEqual([
      { keyId: rotated.body.current.keyId, slot: 'ENCRYPTION_KEY_2', count: 3 },
    ])

    // Again: nothing left to do, and it says so.
    const again = rotateKey()
    expect(again.out).toContain(
      'ENCRYPTION_KEY_2 is already set beside ENCRYPTION_KEY: continuing that rotation',
    )
    expect(again.out).toContain('re-encrypted 0 credential(s)')
    expect(again.code).toBe(0)

    const removed = rotateKey('--remove-old')
    expect(removed.out).toContain(
      'rotate-key: removed ENCRYPTION_KEY from .dev.vars; ENCRYPTION_KEY_2 is the key now',
    )
    expect(removed.code).toBe(0)
    expect(devVars()).not.toMatch(/^ENCRYPTION_KEY=/m)
    await until(
      () => api('GET', '/api/encryption-key'),
      (status) => status.body.keys.length === 1,
    )

    // The server now has the new key only, and a node still sends the credential.
    const workflow = await api('POST', '/api/workflows', {
      name: 'rotated credential',
      nodes: [
        { id: 'call', type: 'http-request', config: { url: `${URL}/healthz`, credential: 'beta' } },
      ],
    })
    expect(workflow.status).toBe(201)
    const started = await api('POST', `/api/workflows/${workflow.body.id}/runs`, {})
    const run = await until(
      () => api('GET', `/api/runs/${started.body.runId}`),
      (r) => ['succeeded', 'failed'].includes(r.body.status),
    )
    expect(run.body.status).toBe('succeeded')
    expect(run.body.output.body).toEqual({ ok: true })

    // With nothing old left, --remove-old refuses and says why.
    const nothing = rotateKey('--remove-old')
    expect(nothing.out).toContain('only ENCRYPTION_KEY_2 is set: there is no old key to remove')
    expect(nothing.code).toBe(1)
  })

  it('--remote puts the new key with wrangler secret put (on stdin, never as an argument)', async () => {
    // A fake wrangler whose Worker secrets are the local server's .dev.vars: a put or a delete
    // reaches the running Worker as a deploy of new secrets would.
    const bin = join(copy, 'fake-bin')
    mkdirSync(bin)
    copyFileSync(join(root, 'scripts', 'test-fixtures', 'fake-wrangler.mjs'), join(bin, 'wrangler'))
    chmodSync(join(bin, 'wrangler'), 0o755)
    const calls = join(copy, 'wrangler-calls.jsonl')
    const remote = (...args: string[]) => {
      const result = spawnSync(
        process.execPath,
        ['scripts/rotate-key.mjs', '--remote', '--url', URL, '--token', TOKEN, ...args],
        {
          cwd: copy,
          encoding: 'utf8',
          env: {
            ...quiet,
            PATH: `${bin}:${process.env.PATH}`,
            FAKE_WRANGLER_LOG: calls,
            FAKE_WRANGLER_SECRETS_FILE: join(copy, '.dev.vars'),
          },
        },
      )
      return { code: result.status, out: result.stdout + result.stderr }
    }
    const rotated = remote()
    expect(rotated.out).toContain(
      "rotate-key: added a new key to the Worker's secrets as ENCRYPTION_KEY_3; ENCRYPTION_KEY_2 stays until the end",
    )
    expect(rotated.out).toContain('re-encrypted 3 credential(s) under ENCRYPTION_KEY_3')
    expect(rotated.out).toContain('npm run rotate-key -- --remote --remove-old')
    expect(rotated.code).toBe(0)
    const newKey = /^ENCRYPTION_KEY_3=(.+)$/m.exec(devVars())![1]!
    expect(newKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(rotated.out).not.toContain(newKey)

    const removed = remote('--remove-old')
    expect(removed.code).toBe(0)
    expect(devVars()).not.toMatch(/^ENCRYPTION_KEY_2=/m)
    const log = existsSync(calls)
      ? readFileSync(calls, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line).args)
      : []
    expect(log).toEqual([
      ['secret', 'list', '--format', 'json'],
      ['secret', 'put', 'ENCRYPTION_KEY_3'],
      ['secret', 'list', '--format', 'json'],
      ['secret', 'delete', 'ENCRYPTION_KEY_2'],
    ])
    expect(JSON.stringify(log)).not.toContain(newKey)
  })
})
