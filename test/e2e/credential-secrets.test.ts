import { env } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { signedIn } from '../admin-session'
import { fakeApp } from '../apps'
import { createCredential } from '../credentials'
import { serviceAccount } from '../google-account'
import { captureConsole, everyD1Row, leaksOf } from '../secret-search'
import {
  admin,
  createWorkflow,
  fakeUpstream,
  postWebhook,
  waitForRun,
  type RunView,
} from '../helpers'

const mark = (what: string) => `SECRET_${what}_${crypto.randomUUID().replace(/-/g, '')}`

/**
 * Issue 9's promise, tested end to end: a credential's secret reaches the API it is for, and
 * nothing else. Workflows use every credential type, succeeding and failing; then every D1 table,
 * every API answer and admin page read, and every console line are searched for the secrets.
 */
describe('credential secrets never leave the credential store', () => {
  let lines: string[] = []
  beforeEach(() => {
    lines = captureConsole()
  })
  afterEach(() => vi.restoreAllMocks())

  it('are in no D1 table, API answer, admin page or console line', async () => {
    const secrets: string[] = []
    const keep = <T extends string>(value: T) => (secrets.push(value), value)

    const notion = fakeApp('notion')
    const discord = fakeApp('discord')
    const slack = fakeApp('slack')
    const telegram = fakeApp('telegram')
    const openai = fakeApp('openai')
    const api = fakeUpstream()
    const google = await serviceAccount()
    // The middle of the PEM: its base64 body, which is the secret part of the key.
    const pem = google.keyFile.private_key.split('\n').slice(5, 8).join('')
    secrets.push(pem)

    const discordToken = keep(mark('discord'))
    const slackHook = keep(mark('slackhook'))
    const telegramToken = `4242:${keep(mark('telegram'))}`
    const basicPassword = keep(mark('basic'))
    const basicUser = 'ada'
    secrets.push(btoa(`${basicUser}:${basicPassword}`))
    const webhookSecret = keep(mark('webhook'))

    const names = {
      notion: await createCredential(
        'notion',
        { token: keep(mark('notion')) },
        { baseUrl: notion.base },
      ),
      google: google.credential,
      discord: await createCredential('discord-webhook', {
        url: discord.url(`/api/webhooks/777/${discordToken}`),
      }),
      discordBad: await createCredential('discord-webhook', {
        url: discord.url(`/api/webhooks/778/invalid${discordToken}`),
      }),
      slackHook: await createCredential('slack-webhook', {
        url: slack.url(`/services/T01/B02/${slackHook}`),
      }),
      slackBot: await createCredential(
        'slack-bot',
        { token: `xoxb-${keep(mark('slackbot'))}` },
        { baseUrl: slack.url('/api') },
      ),
      telegram: await createCredential(
        'telegram-bot',
        { token: telegramToken },
        { baseUrl: telegram.base },
      ),
      openai: await createCredential(
        'openai-compatible',
        { apiKey: `sk-${keep(mark('openai'))}` },
        { baseUrl: openai.url('/v1') },
      ),
      bearer: await createCredential(
        'http-bearer',
        { token: keep(mark('bearer')) },
        { baseUrl: api.base },
      ),
      basic: await createCredential(
        'http-basic',
        { username: basicUser, password: basicPassword },
        { baseUrl: api.base },
      ),
      header: await createCredential(
        'http-header',
        { name: 'X-Api-Key', value: keep(mark('header')) },
        { baseUrl: api.base },
      ),
      webhook: await createCredential('webhook-secret', {
        secret: webhookSecret,
      }),
    }

    const node = (id: string, type: string, config: Record<string, unknown>) => ({
      id,
      type,
      config,
      onError: 'continue',
    })
    const workflow = await createWorkflow({
      name: 'every credential',
      trigger: {
        type: 'webhook',
        signature: { preset: 'github', secret: names.webhook },
      },
      nodes: [
        node('notion', 'notion-create-page', {
          credential: names.notion,
          dataSourceId: 'ds-1',
          properties: { Name: 'Ada' },
        }),
        node('notion-fail', 'notion-query', {
          credential: names.notion,
          dataSourceId: 'missing',
        }),
        node('sheets', 'google-sheets-append', {
          credential: names.google,
          spreadsheetId: `with-header-${crypto.randomUUID().slice(0, 8)}`,
          range: 'Sheet1',
          values: { Name: 'Ada' },
        }),
        node('sheets-fail', 'google-sheets-read', {
          credential: names.google,
          spreadsheetId: 'not-shared',
          range: 'Sheet1',
        }),
        node('discord', 'discord-message', {
          credential: names.discord,
          content: 'hi',
        }),
        node('discord-fail', 'discord-message', {
          credential: names.discordBad,
          content: 'hi',
        }),
        node('slack-hook', 'slack-message', {
          credential: names.slackHook,
          text: 'hi',
        }),
        node('slack-bot', 'slack-message', {
          credential: names.slackBot,
          text: 'hi',
          channel: 'C1',
        }),
        node('slack-fail', 'slack-message', {
          credential: names.slackBot,
          text: 'hi',
          channel: 'C0NOTMEMBER',
        }),
        node('telegram', 'telegram-message', {
          credential: names.telegram,
          chatId: 1,
          text: 'hi',
        }),
        node('telegram-fail', 'telegram-message', {
          credential: names.telegram,
          chatId: 404,
          text: 'hi',
        }),
        node('ai', 'ai-chat', {
          credential: names.openai,
          model: 'm',
          prompt: 'hello',
        }),
        node('bearer', 'http-request', {
          url: api.url('/a'),
          credential: names.bearer,
        }),
        node('basic', 'http-request', {
          url: api.url('/b'),
          credential: names.basic,
        }),
        node('header', 'http-request', {
          url: api.url('/c'),
          credential: names.header,
        }),
      ],
    })

    const body = JSON.stringify({ action: 'opened' })
    const signature = await hmacHex(webhookSecret, body)
    const response = await postWebhook(workflow, body, {
      'x-hub-signature-256': `sha256=${signature}`,
      'x-github-event': 'issues',
      'x-github-delivery': crypto.randomUUID(),
    })
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId, 30_000)

    // The secrets did their job: each API saw its own, and the failures failed.
    const failed = ['notion-fail', 'sheets-fail', 'discord-fail', 'slack-fail', 'telegram-fail']
    expect(stepStatuses(run)).toEqual(
      Object.fromEntries(
        run.steps.map((s) => [s.nodeId, failed.includes(s.nodeId) ? 'failed' : 'succeeded']),
      ),
    )
    const seen = (await api.received()).requests.map((r) => r.headers)
    expect(seen[0]!.authorization).toContain('SECRET_bearer_')
    expect(seen[2]!['x-api-key']).toContain('SECRET_header_')

    // Everything a person or a log could see.
    const places: Record<string, string> = {}
    for (const [table, text] of Object.entries(await everyD1Row(env.DB)))
      places[`D1 table ${table}`] = text
    expect(Object.keys(places)).toEqual(
      expect.arrayContaining(['D1 table runs', 'D1 table steps', 'D1 table credentials']),
    )
    for (const path of [
      `/api/runs/${run.id}`,
      `/api/runs?workflowId=${workflow.id}`,
      `/api/workflows/${workflow.id}`,
      '/api/workflows',
      '/api/credentials',
      `/api/credentials/${names.bearer}`,
    ]) {
      places[`GET ${path}`] = await (await admin(path)).text()
    }
    const session = await signedIn()
    for (const path of [
      `/admin/runs/${run.id}`,
      '/admin/credentials',
      `/admin/workflows/${workflow.id}`,
    ]) {
      places[`page ${path}`] = (await session.page(path)).html
    }
    places['console'] = lines.join('\n')

    const leaks = leaksOf(places, secrets)
    expect(leaks).toEqual([])
    // The search itself works: the run is in D1 and the failures were logged.
    expect(places['D1 table steps']).toContain(run.id)
    expect(places['GET /api/credentials']).toContain(names.google)
  })
})

function stepStatuses(run: RunView) {
  return Object.fromEntries(run.steps.map((s) => [s.nodeId, s.status]))
}

async function hmacHex(secret: string, body: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
