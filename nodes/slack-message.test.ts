import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runInWorkflow, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import { fakeUpstream } from '../test/helpers'
import slackMessage from './slack-message'

const HOOK_PATH = '/services/T0001/B0002/XXXXsecretXXXX'

async function bot(token = 'xoxb-1-2-abc') {
  const slack = fakeApp('slack')
  const credential = await createCredential('slack-bot', { token }, { baseUrl: slack.url('/api') })
  return { slack, credential }
}

describe('slack-message with an incoming webhook', () => {
  it('posts text and blocks to the webhook URL and returns ok', async () => {
    const slack = fakeApp('slack')
    const credential = await createCredential('slack-webhook', { url: slack.url(HOOK_PATH) })
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*New order*' } }]
    const output = await runNode(slackMessage, {
      credential,
      text: 'New order',
      blocks,
      channel: '#ignored',
    })
    expect(output).toEqual({ ok: true })
    const [request] = (await slack.received()).requests
    expect(request).toMatchObject({
      method: 'POST',
      path: HOOK_PATH,
      body: { text: 'New order', blocks },
    })
    expect(request!.body).not.toHaveProperty('channel')
    expect(request!.headers['content-type']).toBe('application/json')
  })

  it("fails with Slack's text error code, never the webhook's path", async () => {
    const slack = fakeApp('slack')
    const credential = await createCredential('slack-webhook', {
      url: slack.url('/services/T0001/B0002/revoked'),
    })
    const error = await nodeFailure(slackMessage, { credential, text: 'x' })
    expect(error).toMatchObject({ code: 'SLACK_ERROR', retryable: false })
    expect(error.message).toBe('Slack 403: invalid_token')
  })

  it('names no more than the origin when an error quotes the webhook URL', async () => {
    const upstream = fakeUpstream()
    const url = upstream.url('/services/T0001/B0002/quoted-secret-31')
    await upstream.program([
      {
        path: '/services/T0001/B0002/quoted-secret-31',
        responses: [{ status: 404, body: `no_service: ${url}` }],
      },
    ])
    const credential = await createCredential('slack-webhook', { url })
    const error = await nodeFailure(slackMessage, { credential, text: 'x' })
    expect(error.message).toBe(`Slack 404: no_service: ${upstream.base}`)
  })
})

describe('slack-message with a bot token', () => {
  it('calls chat.postMessage with the bearer token, channel and thread, and returns ts', async () => {
    const { slack, credential } = await bot()
    const output = await runNode(slackMessage, {
      credential,
      text: 'Deploy finished',
      channel: 'C0123456',
      threadTs: '1700000000.000100',
    })
    expect(output).toEqual({
      ok: true,
      channel: 'C0123456',
      ts: expect.stringMatching(/^\d+\.\d+$/),
    })
    const [request] = (await slack.received()).requests
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/chat.postMessage',
      body: { channel: 'C0123456', text: 'Deploy finished', thread_ts: '1700000000.000100' },
    })
    expect(request!.headers.authorization).toBe('Bearer xoxb-1-2-abc')
    expect(request!.headers['content-type']).toBe('application/json; charset=utf-8')
  })

  it('uses https://slack.com/api without a baseUrl', async () => {
    const credential = await createCredential('slack-bot', { token: 'xoxb-official' })
    await runNode(slackMessage, { credential, text: 'hello', channel: 'C1' })
    const slack = { received: () => fetch('http://slack.com/__requests').then((r) => r.json()) }
    const { requests } = (await slack.received()) as {
      requests: { path: string; headers: Record<string, string> }[]
    }
    expect(
      requests.some(
        (r) =>
          r.path === '/api/chat.postMessage' && r.headers.authorization === 'Bearer xoxb-official',
      ),
    ).toBe(true)
  })

  it("fails an ok:false answer (HTTP 200) with Slack's error code", async () => {
    const { credential } = await bot()
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C0NOTMEMBER' })
    expect(error).toMatchObject({
      code: 'SLACK_ERROR',
      retryable: false,
      message: 'Slack: not_in_channel',
    })
    expect(error.details).toMatchObject({ error: 'not_in_channel' })
  })

  it('refuses a bot message without a channel before calling Slack', async () => {
    const { slack, credential } = await bot()
    const error = await nodeFailure(slackMessage, { credential, text: 'x' })
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', retryable: false })
    expect((await slack.received()).requests).toHaveLength(0)
  })

  it('fails with invalid_auth for a bad token', async () => {
    const { credential } = await bot('xoxb-invalid')
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C1' })
    expect(error.message).toBe('Slack: invalid_auth')
  })

  it("is retryable on a 429 after Slack's Retry-After", async () => {
    const { slack, credential } = await bot()
    await slack.program([
      {
        path: '/api/chat.postMessage',
        responses: [
          {
            status: 429,
            headers: { 'retry-after': '30' },
            body: { ok: false, error: 'ratelimited' },
          },
        ],
      },
    ])
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C1' })
    expect(error).toMatchObject({ code: 'SLACK_ERROR', retryable: true, retryAfterMs: 30_000 })
    expect(error.message).toBe('Slack 429: ratelimited')
  })
})

describe('slack-message escapes filled-in data', () => {
  const name = '<!channel> & <https://evil.test|Co>'

  it('escapes &, < and > in what templates fill into text and mrkdwn blocks, not the text written', async () => {
    const { slack, credential } = await bot()
    const step = await runInWorkflow(
      'slack-message',
      {
        credential,
        channel: 'C1',
        text: '*New order* from {{ input.name }} <https://shop.test/o?id=1&v=2|open>',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: '*Buyer:* {{ input.name }}' } },
          { type: 'section', text: { type: 'plain_text', text: '{{ input.name }}' } },
          { type: 'image', image_url: 'https://img.test/a.png?x=1&y={{ input.q }}', alt_text: 'x' },
        ],
      },
      { name, q: 'a&b' },
    )
    expect(step.status).toBe('succeeded')
    const [request] = (await slack.received()).requests
    expect(request!.body).toEqual({
      channel: 'C1',
      text:
        '*New order* from &lt;!channel&gt; &amp; &lt;https://evil.test|Co&gt; ' +
        '<https://shop.test/o?id=1&v=2|open>',
      blocks: [
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Buyer:* &lt;!channel&gt; &amp; &lt;https://evil.test|Co&gt;',
          },
        },
        { type: 'section', text: { type: 'plain_text', text: name } },
        { type: 'image', image_url: 'https://img.test/a.png?x=1&y=a&b', alt_text: 'x' },
      ],
    })
  })

  it('sends filled-in data as it is with escapeData: false, for ready-made mrkdwn', async () => {
    const slack = fakeApp('slack')
    const credential = await createCredential('slack-webhook', { url: slack.url(HOOK_PATH) })
    const step = await runInWorkflow(
      'slack-message',
      { credential, text: 'Heads up {{ input.mention }}', escapeData: false },
      { mention: '<!here>' },
    )
    expect(step.status).toBe('succeeded')
    const [request] = (await slack.received()).requests
    expect(request!.body).toEqual({ text: 'Heads up <!here>' })
  })

  it('escapes by hand with $escapeSlack()', async () => {
    const slack = fakeApp('slack')
    const credential = await createCredential('slack-webhook', { url: slack.url(HOOK_PATH) })
    await runInWorkflow(
      'slack-message',
      { credential, text: '<!here> {{ $escapeSlack(input.note) }}', escapeData: false },
      { note: 'a<b' },
    )
    const [request] = (await slack.received()).requests
    expect(request!.body).toEqual({ text: '<!here> a&lt;b' })
  })
})

describe('slack-message on a transient Slack failure', () => {
  it.each([
    ['internal_error', 'C0INTERNAL'],
    ['service_unavailable', 'C0UNAVAILABLE'],
    ['request_timeout', 'C0TIMEOUT'],
  ])('retries ok:false %s', async (code, channel) => {
    const { credential } = await bot()
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel })
    expect(error).toMatchObject({ code: 'SLACK_ERROR', retryable: true, message: `Slack: ${code}` })
  })

  it('keeps fatal_error final: Slack says part of it may have happened', async () => {
    const { credential } = await bot()
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C0FATAL' })
    expect(error).toMatchObject({ retryable: false, message: 'Slack: fatal_error' })
  })

  it('waits as long as Retry-After says on an ok:false ratelimited', async () => {
    const { slack, credential } = await bot()
    await slack.program([
      {
        path: '/api/chat.postMessage',
        responses: [
          {
            status: 200,
            headers: { 'retry-after': '5' },
            body: { ok: false, error: 'ratelimited' },
          },
        ],
      },
    ])
    const error = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C1' })
    expect(error).toMatchObject({
      retryable: true,
      retryAfterMs: 5000,
      message: 'Slack: ratelimited',
    })
  })

  it("retries the fake's own 429s, for the Web API and for incoming webhooks", async () => {
    const { credential } = await bot()
    const api = await nodeFailure(slackMessage, { credential, text: 'x', channel: 'C0RATELIMITED' })
    expect(api).toMatchObject({ retryable: true, retryAfterMs: 30_000 })
    const slack = fakeApp('slack')
    const hook = await createCredential('slack-webhook', {
      url: slack.url('/services/T0001/B0002/ratelimited'),
    })
    const webhook = await nodeFailure(slackMessage, { credential: hook, text: 'x' })
    expect(webhook).toMatchObject({ retryable: true, retryAfterMs: 30_000, message: 'Slack 429' })
  })
})
