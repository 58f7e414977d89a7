import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
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
