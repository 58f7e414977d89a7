import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployCopy } from './lib/fake-wrangler'
import {
  LOCAL_SERVER_HOOK_MARGIN_MS,
  LOCAL_SERVER_START_MS,
  type LocalServer,
  startLocalServer,
} from './lib/local-server'

// A real AutomateOS as npm start serves it, with throw-away state, on the first free port of
// 8910-8919 (the top of the range, away from tools that probe ports upwards with their own tokens,
// which the admin API throttles; another checkout's suite may be running this test at once).
let URL: string
let TOKEN: string
const root = join(import.meta.dirname, '..')
const quiet = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }

let server: LocalServer | undefined
let work = '' // set first in beforeAll; empty if that never ran

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'automateos-cli-work-'))
  server = await startLocalServer([8910, 8911, 8912, 8913, 8914, 8915, 8916, 8917, 8918, 8919])
  URL = server.url
  TOKEN = server.token
}, LOCAL_SERVER_START_MS + LOCAL_SERVER_HOOK_MARGIN_MS)

// Safe when beforeAll failed part-way: a failed start has already stopped its server.
afterAll(async () => {
  await server?.stop()
  if (work) rmSync(work, { recursive: true, force: true })
})

function cli(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'workflows.mjs'), ...args, '--url', URL, '--token', TOKEN],
    { cwd: work, encoding: 'utf8', env: quiet },
  )
  return { code: result.status, out: result.stdout + result.stderr }
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
      // A new connection each time: cli() blocks the event loop, so a kept-alive one that the
      // server closed when idle is not seen to be closed, and the next request on it failed.
      connection: 'close',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: response.status === 204 ? null : await response.json() }
}

async function byName(name: string) {
  const { body } = await api('GET', '/api/workflows')
  return (
    body as { workflows: { id: string; name: string; version: number; enabled: boolean }[] }
  ).workflows.filter((w) => w.name === name)
}

const alerts = {
  name: 'Order alerts',
  nodes: [{ id: 'shape', type: 'transform', config: { expression: '{ "text": "Order " & id }' } }],
}

describe('npm run workflows against a running AutomateOS', () => {
  it('push creates each workflow and reports a refused one by file and field path', async () => {
    mkdirSync(join(work, 'workflows'))
    writeFileSync(join(work, 'workflows', 'order-alerts.json'), JSON.stringify(alerts))
    writeFileSync(
      join(work, 'workflows', 'broken.json'),
      JSON.stringify({ name: 'Broken', nodes: [{ id: 'x', type: 'teleport', config: {} }] }),
    )
    const { code, out } = cli('push')
    expect(code).toBe(1)
    expect(out).toContain('+ create     Order alerts  (workflows/order-alerts.json)')
    expect(out).toContain("! workflows/broken.json: nodes.0.type: unknown node type 'teleport'")
    expect(out).toContain(`pushed to ${URL}: 1 created, 0 updated, 0 deleted, 1 refused`)
    const [created] = await byName('Order alerts')
    expect(created!.version).toBe(1)
    expect(await byName('Broken')).toEqual([])
    rmSync(join(work, 'workflows', 'broken.json'))
  })

  it('push again changes nothing: no new version without a change', async () => {
    const { code, out } = cli('push')
    expect(code).toBe(0)
    expect(out).toContain('0 created, 0 updated, 0 deleted')
    expect((await byName('Order alerts'))[0]!.version).toBe(1)
    expect(cli('diff').out).toContain('= unchanged  Order alerts  (workflows/order-alerts.json)')
  })

  it('diff shows an edit without making it; push then makes one new version', async () => {
    writeFileSync(
      join(work, 'workflows', 'order-alerts.json'),
      JSON.stringify({ ...alerts, enabled: false }),
    )
    const [before] = await byName('Order alerts')
    const diff = cli('diff')
    expect(diff.code).toBe(0)
    expect(diff.out).toContain(
      `~ update     Order alerts  (workflows/order-alerts.json -> ${before!.id})`,
    )
    expect(diff.out).toContain('-   "enabled": true,')
    expect(diff.out).toContain('+   "enabled": false,')
    expect((await byName('Order alerts'))[0]!.version).toBe(1)

    expect(cli('push').out).toContain('0 created, 1 updated, 0 deleted')
    const [after] = await byName('Order alerts')
    expect(after).toMatchObject({ id: before!.id, version: 2, enabled: false })
  })

  it('pull writes one stable file per workflow; a second pull writes nothing', async () => {
    const pulled = join(work, 'pulled')
    expect(cli('pull', 'pulled').code).toBe(0)
    expect(readdirSync(pulled)).toEqual(['order-alerts.json'])
    const text = readFileSync(join(pulled, 'order-alerts.json'), 'utf8')
    expect(text).toBe(
      JSON.stringify(
        {
          name: 'Order alerts',
          enabled: false,
          trigger: { type: 'webhook' },
          onError: 'stop',
          nodes: alerts.nodes,
        },
        null,
        2,
      ) + '\n',
    )
    expect(cli('pull', 'pulled').out).toContain('0 file(s) written')
    expect(cli('diff', 'pulled').out).toContain('= unchanged  Order alerts')
  })

  it('deletes a workflow that has no file only with --prune', async () => {
    const { status } = await api('POST', '/api/workflows', { ...alerts, name: 'Made in the UI' })
    expect(status).toBe(201)
    const plain = cli('push')
    expect(plain.out).toContain('? server only Made in the UI')
    expect(await byName('Made in the UI')).toHaveLength(1)

    const pruned = cli('push', '--prune')
    expect(pruned.code).toBe(0)
    expect(pruned.out).toContain('- delete     Made in the UI')
    expect(await byName('Made in the UI')).toEqual([])
    expect(await byName('Order alerts')).toHaveLength(1)
  })

  it('push saves a workflow with a secret in its config, and warns where it is', async () => {
    const file = join(work, 'workflows', 'slack-alerts.json')
    const url = 'https://hooks.slack.com/services/T0001/B0002/cliSecret1234'
    writeFileSync(
      file,
      JSON.stringify({
        name: 'Slack alerts',
        nodes: [{ id: 'post', type: 'http-request', config: { method: 'POST', url } }],
      }),
    )
    const { code, out } = cli('push')
    expect(code).toBe(0)
    expect(out).toContain('+ create     Slack alerts  (workflows/slack-alerts.json)')
    expect(out).toContain(
      '  warning nodes.0.config.url: nodes.0.config.url holds what looks like a Slack webhook URL.',
    )
    expect(await byName('Slack alerts')).toHaveLength(1)
    rmSync(file)
    expect(cli('push', '--prune').out).toContain('- delete     Slack alerts')
  })

  it('npm run deploy --push-workflows pushes workflows/ to AUTOMATEOS_URL after deploying', async () => {
    const copy = deployCopy()
    try {
      mkdirSync(join(copy.dir, 'workflows'))
      writeFileSync(
        join(copy.dir, 'workflows', 'deployed.json'),
        JSON.stringify({ ...alerts, name: 'Pushed by deploy' }),
      )
      const result = spawnSync(process.execPath, ['scripts/deploy.mjs', '--push-workflows'], {
        cwd: copy.dir,
        encoding: 'utf8',
        env: copy.env({
          FAKE_WRANGLER: JSON.stringify({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] }),
          AUTOMATEOS_URL: URL,
          AUTOMATEOS_TOKEN: TOKEN,
        }),
      })
      expect(result.stderr).toBe('')
      expect(result.status).toBe(0)
      expect(result.stdout).toContain('+ create     Pushed by deploy')
      expect(copy.calls().at(-1)!.args[0]).toBe('deploy')
      expect(await byName('Pushed by deploy')).toHaveLength(1)
    } finally {
      rmSync(copy.dir, { recursive: true, force: true })
    }
  })

  it('npm run deploy at a terminal pushes workflows/ when the answer is yes', async () => {
    const copy = deployCopy()
    try {
      mkdirSync(join(copy.dir, 'workflows'))
      writeFileSync(
        join(copy.dir, 'workflows', 'asked.json'),
        JSON.stringify({ ...alerts, name: 'Pushed after asking' }),
      )
      const result = spawnSync(
        'script',
        ['-qec', `${process.execPath} scripts/deploy.mjs`, '/dev/null'],
        {
          cwd: copy.dir,
          encoding: 'utf8',
          input: 'y\n',
          env: copy.env({
            FAKE_WRANGLER: JSON.stringify({ secrets: ['ADMIN_TOKEN', 'ENCRYPTION_KEY'] }),
            AUTOMATEOS_URL: URL,
            AUTOMATEOS_TOKEN: TOKEN,
          }),
        },
      )
      expect(result.status).toBe(0)
      expect(result.stdout).toContain(`Push the 1 workflow(s) in workflows/ to ${URL}? [y/N]`)
      expect(result.stdout).toContain('+ create     Pushed after asking')
      expect(await byName('Pushed after asking')).toHaveLength(1)
    } finally {
      rmSync(copy.dir, { recursive: true, force: true })
    }
  })
})
