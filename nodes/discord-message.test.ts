import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runInWorkflow, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import discordMessage from './discord-message'

async function webhook(path = '/api/webhooks/112233/tok-abc_DEF') {
  const discord = fakeApp('discord')
  const credential = await createCredential('discord-webhook', { url: discord.url(path) })
  return { discord, credential }
}

describe('discord-message', () => {
  it('executes the webhook with wait=true and mentions off, and returns the message', async () => {
    const { discord, credential } = await webhook()
    const output = await runNode(discordMessage, {
      credential,
      content: 'New signup: ada@example.com @everyone',
      username: 'AutomateOS',
      embeds: [{ title: 'Ada', color: 5814783 }],
    })
    const [request] = (await discord.received()).requests
    expect(request).toMatchObject({
      method: 'POST',
      path: '/api/webhooks/112233/tok-abc_DEF',
      query: { wait: 'true' },
      body: {
        content: 'New signup: ada@example.com @everyone',
        username: 'AutomateOS',
        embeds: [{ title: 'Ada', color: 5814783 }],
        allowed_mentions: { parse: [] },
      },
    })
    expect(request!.headers['content-type']).toBe('application/json')
    expect(output).toEqual({
      id: expect.stringMatching(/^\d+$/),
      channelId: '1100000000000000001',
      timestamp: expect.any(String),
    })
  })

  it('sends the allowed mentions it is given', async () => {
    const { discord, credential } = await webhook()
    await runNode(discordMessage, {
      credential,
      content: 'hi <@42>',
      allowedMentions: { parse: [], users: ['42'] },
    })
    const [request] = (await discord.received()).requests
    expect((request!.body as { allowed_mentions: unknown }).allowed_mentions).toEqual({
      parse: [],
      users: ['42'],
    })
  })

  it("moves the webhook URL onto the credential's baseUrl", async () => {
    const discord = fakeApp('discord')
    const credential = await createCredential(
      'discord-webhook',
      { url: 'https://discord.com/api/webhooks/9/secret-token' },
      { baseUrl: discord.base },
    )
    await runNode(discordMessage, { credential, content: 'via proxy' })
    const [request] = (await discord.received()).requests
    expect(request).toMatchObject({ path: '/api/webhooks/9/secret-token', query: { wait: 'true' } })
  })

  it("fails for good on a 4xx with Discord's message, never the webhook's path", async () => {
    const { credential } = await webhook('/api/webhooks/1/invalid-token')
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error).toMatchObject({ code: 'DISCORD_ERROR', retryable: false })
    expect(error.message).toBe('Discord 401: Invalid Webhook Token')
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('invalid-token')
  })

  it("is retryable on a 429 after Discord's retry_after (seconds, in the body)", async () => {
    const { discord, credential } = await webhook()
    await discord.program([
      {
        path: '/api/webhooks/112233/tok-abc_DEF',
        responses: [
          {
            status: 429,
            body: { message: 'You are being rate limited.', retry_after: 2.5, global: false },
          },
        ],
      },
    ])
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error).toMatchObject({ code: 'DISCORD_ERROR', retryable: true, retryAfterMs: 2500 })
    expect(error.message).toBe('Discord 429: You are being rate limited.')
  })

  it('prefers the Retry-After header, and retries a 5xx', async () => {
    const { discord, credential } = await webhook()
    await discord.program([
      {
        path: '/api/webhooks/112233/tok-abc_DEF',
        responses: [{ status: 503, headers: { 'retry-after': '4' }, body: { message: 'busy' } }],
      },
    ])
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 4000 })
  })

  it('refuses a config without content or embeds, and content past 2,000 characters', () => {
    const noText = discordMessage.config.safeParse({ credential: 'd' })
    expect(noText.error!.issues.map((i) => i.path)).toEqual([['content']])
    const long = discordMessage.config.safeParse({ credential: 'd', content: 'x'.repeat(2001) })
    expect(long.error!.issues[0]!.path).toEqual(['content'])
    const embeds = discordMessage.config.safeParse({
      credential: 'd',
      embeds: Array.from({ length: 11 }, () => ({})),
    })
    expect(embeds.error!.issues[0]!.path).toEqual(['embeds'])
  })

  it('fails with CREDENTIAL_WRONG_TYPE for a credential of another type', async () => {
    const credential = await createCredential('slack-webhook', {
      url: 'https://hooks.slack.com/services/T1/B2/xyz',
    })
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error.code).toBe('CREDENTIAL_WRONG_TYPE')
  })
})

describe('discord-message in forum channels', () => {
  const FORUM = '/api/webhooks/220001/tok-forum'

  it("fails a forum webhook without a thread, saying Discord's words and what to set", async () => {
    const { credential } = await webhook(FORUM)
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error).toMatchObject({ code: 'DISCORD_ERROR', retryable: false })
    expect(error.message).toBe(
      'Discord 400: Webhooks posted to forum channels must have a thread_name or thread_id: the ' +
        'webhook is in a forum or media channel: set threadName to start a post, or threadId',
    )
  })

  it('starts a forum post with thread_name', async () => {
    const { discord, credential } = await webhook(FORUM)
    const output = (await runNode(discordMessage, {
      credential,
      content: 'Release 1.2 is out',
      threadName: 'Release 1.2',
    })) as { id: string; channelId: string }
    const [request] = (await discord.received()).requests
    expect(request).toMatchObject({ query: { wait: 'true' } })
    expect(request!.body).toEqual({
      content: 'Release 1.2 is out',
      allowed_mentions: { parse: [] },
      thread_name: 'Release 1.2',
    })
    expect(output.channelId).toBe(output.id)
  })

  it('posts into an existing thread with the thread_id query parameter', async () => {
    const { discord, credential } = await webhook(FORUM)
    const output = (await runNode(discordMessage, {
      credential,
      content: 'one more',
      threadId: '1300000000000000042',
    })) as { channelId: string }
    const [request] = (await discord.received()).requests
    expect(request!.query).toEqual({ wait: 'true', thread_id: '1300000000000000042' })
    expect(request!.body).not.toHaveProperty('thread_name')
    expect(output.channelId).toBe('1300000000000000042')
  })

  it('refuses threadName and threadId together before calling Discord', () => {
    const both = discordMessage.config.safeParse({
      credential: 'd',
      content: 'x',
      threadName: 'a',
      threadId: '1',
    })
    expect(both.error!.issues.map((i) => i.path)).toEqual([['threadId']])
  })
})

describe('discord-message errors and limits', () => {
  it("names the fields of Discord's errors tree, not only Invalid Form Body", async () => {
    const { credential } = await webhook()
    const error = await nodeFailure(discordMessage, {
      credential,
      embeds: [{ title: 'ok' }, { title: 't'.repeat(300) }],
    })
    expect(error.message).toBe(
      'Discord 400: Invalid Form Body: embeds.1.title: Must be 256 or fewer in length. ' +
        '(BASE_TYPE_MAX_LENGTH)',
    )
  })

  it('fails content too long once filled in, before calling Discord', async () => {
    const { discord, credential } = await webhook()
    const step = await runInWorkflow(
      'discord-message',
      { credential, content: 'Log: {{ input.log }}' },
      { log: 'x'.repeat(2000) },
    )
    expect(step.status).toBe('failed')
    expect(step.error).toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        "Step 1 'send' (discord-message) failed: Invalid config: content: longer than the 2000 " +
        'characters Discord takes in one message: shorten it, or set long: "split" to send it ' +
        'as several messages',
    })
    expect((await discord.received()).requests).toHaveLength(0)
  })

  it('splits long content with long: "split", the embeds going with the last part', async () => {
    const { discord, credential } = await webhook()
    const words = Array.from({ length: 500 }, (_, i) => `word${i}`)
    const step = await runInWorkflow(
      'discord-message',
      { credential, content: '{{ input.text }}', embeds: [{ title: 'Log' }], long: 'split' },
      { text: words.join(' ') },
    )
    expect(step.status).toBe('succeeded')
    const bodies = (await discord.received()).requests.map((r) => r.body)
    const cut = words.findIndex((_, i) => words.slice(0, i + 1).join(' ').length > 2000)
    expect(bodies).toEqual([
      { content: words.slice(0, cut).join(' '), allowed_mentions: { parse: [] } },
      {
        content: words.slice(cut).join(' '),
        allowed_mentions: { parse: [] },
        embeds: [{ title: 'Log' }],
      },
    ])
    expect(step.output).toMatchObject({ ids: [expect.any(String), expect.any(String)] })
  })

  it("retries the fake's 429 after its Retry-After, per route and global", async () => {
    const { credential } = await webhook('/api/webhooks/112233/ratelimited-tok')
    const error = await nodeFailure(discordMessage, { credential, content: 'x' })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 3000 })
    expect(error.message).toBe('Discord 429: The resource is being rate limited.')
    const global = await webhook('/api/webhooks/112233/globalratelimited-tok')
    const globalError = await nodeFailure(discordMessage, {
      credential: global.credential,
      content: 'x',
    })
    expect(globalError).toMatchObject({ retryable: true, retryAfterMs: 3000 })
  })

  it('escapes the markdown in what templates fill in, not the text around them', async () => {
    const { discord, credential } = await webhook()
    const name = '**Ada** [free gift](https://evil.test) <@&9>'
    const step = await runInWorkflow(
      'discord-message',
      {
        credential,
        content: '**New order** from {{ input.name }}: {{ input.url }}',
        embeds: [
          {
            title: '{{ input.name }}',
            description: '_Buyer:_ {{ input.name }}',
            fields: [{ name: 'Note', value: '{{ input.note }}' }],
          },
        ],
      },
      { name, url: 'https://shop.test/o/a_b', note: '> quoted' },
    )
    expect(step.status).toBe('succeeded')
    const [request] = (await discord.received()).requests
    const escaped = '\\*\\*Ada\\*\\* \\[free gift\\]\\(https://evil.test) \\<@&9\\>'
    expect(request!.body).toMatchObject({
      content: `**New order** from ${escaped}: https://shop.test/o/a_b`,
      embeds: [
        {
          title: name,
          description: `_Buyer:_ ${escaped}`,
          fields: [{ name: 'Note', value: '\\> quoted' }],
        },
      ],
    })
  })

  it('sends filled-in markdown as it is with escapeData: false', async () => {
    const { discord, credential } = await webhook()
    const step = await runInWorkflow(
      'discord-message',
      { credential, content: 'Report: {{ input.summary }}', escapeData: false },
      { summary: '**3** new' },
    )
    expect(step.status).toBe('succeeded')
    const [request] = (await discord.received()).requests
    expect((request!.body as { content: string }).content).toBe('Report: **3** new')
  })
})
