import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runInWorkflow, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import telegramMessage from './telegram-message'

const TOKEN = '123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11'

async function bot(token = TOKEN) {
  const telegram = fakeApp('telegram')
  const credential = await createCredential('telegram-bot', { token }, { baseUrl: telegram.base })
  return { telegram, credential }
}

describe('telegram-message', () => {
  it('calls sendMessage with chat_id, text, parse_mode and disable_notification', async () => {
    const { telegram, credential } = await bot()
    const output = await runNode(telegramMessage, {
      credential,
      chatId: 4242,
      text: '<b>Order</b> shipped',
      parseMode: 'HTML',
      disableNotification: true,
    })
    const [request] = (await telegram.received()).requests
    expect(request).toMatchObject({
      method: 'POST',
      path: `/bot${TOKEN}/sendMessage`,
      body: {
        chat_id: 4242,
        text: '<b>Order</b> shipped',
        parse_mode: 'HTML',
        disable_notification: true,
      },
    })
    expect(request!.headers['content-type']).toBe('application/json')
    expect(output).toEqual({
      messageId: expect.any(Number),
      chatId: 4242,
      date: expect.any(Number),
    })
  })

  it("fails ok:false with Telegram's description, never the token", async () => {
    const { credential } = await bot()
    const error = await nodeFailure(telegramMessage, { credential, chatId: 404, text: 'hi' })
    expect(error).toMatchObject({ code: 'TELEGRAM_ERROR', retryable: false })
    expect(error.message).toBe('Telegram 400: Bad Request: chat not found')
    expect(JSON.stringify([error.message, error.details])).not.toContain(TOKEN)
  })

  it('fails a wrong token with Unauthorized', async () => {
    const { credential } = await bot('1:invalid')
    const error = await nodeFailure(telegramMessage, { credential, chatId: 1, text: 'hi' })
    expect(error.message).toBe('Telegram 401: Unauthorized')
  })

  it('is retryable on a 429 after parameters.retry_after', async () => {
    const { telegram, credential } = await bot()
    await telegram.program([
      {
        path: `/bot${TOKEN}/sendMessage`,
        responses: [
          {
            status: 429,
            body: {
              ok: false,
              error_code: 429,
              description: 'Too Many Requests: retry after 7',
              parameters: { retry_after: 7 },
            },
          },
        ],
      },
    ])
    const error = await nodeFailure(telegramMessage, { credential, chatId: 1, text: 'hi' })
    expect(error).toMatchObject({ code: 'TELEGRAM_ERROR', retryable: true, retryAfterMs: 7000 })
    expect(error.message).toBe('Telegram 429: Too Many Requests: retry after 7')
  })

  it('refuses text longer than 4,096 characters at save time', () => {
    const parsed = telegramMessage.config.safeParse({
      credential: 't',
      chatId: 1,
      text: 'x'.repeat(4097),
    })
    expect(parsed.error!.issues[0]!.path).toEqual(['text'])
  })
})

describe('telegram-message escapes filled-in data for the parse mode', () => {
  async function sent(config: Record<string, unknown>, input: unknown) {
    const { telegram, credential } = await bot()
    const step = await runInWorkflow(
      'telegram-message',
      { credential, chatId: 1, ...config },
      input,
    )
    const { requests } = await telegram.received()
    return { step, body: requests[0]?.body as Record<string, unknown> | undefined }
  }

  it('MarkdownV2: escapes every reserved character in the data, keeps the markup written', async () => {
    const { step, body } = await sent(
      { text: '*{{ input.customer }}*: order {{ input.id }} shipped\\.', parseMode: 'MarkdownV2' },
      { customer: 'Ada_L (VIP)', id: 'A-1.5!' },
    )
    expect(step.status).toBe('succeeded')
    expect(body).toEqual({
      chat_id: 1,
      text: '*Ada\\_L \\(VIP\\)*: order A\\-1\\.5\\! shipped\\.',
      parse_mode: 'MarkdownV2',
    })
  })

  it('HTML: escapes <, > and & in the data', async () => {
    const { step, body } = await sent(
      { text: '<b>{{ input.name }}</b> wrote: {{ input.note }}', parseMode: 'HTML' },
      { name: '<Ada>', note: 'a < b & "c"' },
    )
    expect(step.status).toBe('succeeded')
    expect(body!.text).toBe('<b>&lt;Ada&gt;</b> wrote: a &lt; b &amp; &quot;c&quot;')
  })

  it('legacy Markdown: escapes _ in an e-mail address', async () => {
    const { step, body } = await sent(
      { text: '*Reply to* {{ input.email }}', parseMode: 'Markdown' },
      { email: 'ada_lovelace@example.com' },
    )
    expect(step.status).toBe('succeeded')
    expect(body!.text).toBe('*Reply to* ada\\_lovelace@example.com')
  })

  it('sends the data as it is with escapeData: false, with $escapeMarkdownV2() for the rest', async () => {
    const { step, body } = await sent(
      {
        text: '*{{ $escapeMarkdownV2(input.name) }}* {{ input.markup }}',
        parseMode: 'MarkdownV2',
        escapeData: false,
      },
      { name: 'Ada.L', markup: '_ready\\-made_' },
    )
    expect(step.status).toBe('succeeded')
    expect(body!.text).toBe('*Ada\\.L* _ready\\-made_')
  })

  it('leaves plain text (no parse mode) alone', async () => {
    const { body } = await sent({ text: 'Order {{ input.id }}.' }, { id: 'A_1*' })
    expect(body).toEqual({ chat_id: 1, text: 'Order A_1*.' })
  })

  it("is refused by Telegram when the markup is not escaped, in Telegram's words", async () => {
    const { credential } = await bot()
    const error = await nodeFailure(telegramMessage, {
      credential,
      chatId: 1,
      text: 'Order shipped.',
      parseMode: 'MarkdownV2',
    })
    expect(error.message).toBe(
      "Telegram 400: Bad Request: can't parse entities: Character '.' is reserved and must be " +
        "escaped with the preceding '\\'",
    )
  })
})

describe('telegram-message chats, topics and limits', () => {
  it('posts into a forum topic with message_thread_id', async () => {
    const { telegram, credential } = await bot()
    const output = await runNode(telegramMessage, {
      credential,
      chatId: -100777,
      threadId: 777,
      text: 'hi',
    })
    const [request] = (await telegram.received()).requests
    expect(request!.body).toEqual({ chat_id: -100777, message_thread_id: 777, text: 'hi' })
    expect(output).toMatchObject({ chatId: -100777 })
  })

  it('says which chat a group moved to when it became a supergroup', async () => {
    const { credential } = await bot()
    const error = await nodeFailure(telegramMessage, { credential, chatId: -4242, text: 'hi' })
    expect(error).toMatchObject({ code: 'TELEGRAM_ERROR', retryable: false })
    expect(error.message).toBe(
      'Telegram 400: Bad Request: group chat was upgraded to a supergroup chat; it is now chat ' +
        '-1004242424242: set chatId to -1004242424242',
    )
  })

  it("is retryable after the fake's flood-control retry_after", async () => {
    const { credential } = await bot()
    const error = await nodeFailure(telegramMessage, { credential, chatId: 429, text: 'hi' })
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 })
  })

  it('counts 4,096 characters as Telegram does, after the markup is read', () => {
    const text = 'a'.repeat(4000) + '\\.'.repeat(96)
    const parsed = telegramMessage.config.safeParse({
      credential: 't',
      chatId: 1,
      text,
      parseMode: 'MarkdownV2',
    })
    expect(parsed.success).toBe(true)
    const over = telegramMessage.config.safeParse({ credential: 't', chatId: 1, text: text + '!' })
    expect(over.error!.issues[0]).toMatchObject({
      path: ['text'],
      message:
        '4193 characters; Telegram sends up to 4096 per message: shorten it, or set long: ' +
        '"split" to send it as several messages',
    })
  })

  it('fails a text that is too long once filled in, naming the field', async () => {
    const { telegram, credential } = await bot()
    const step = await runInWorkflow(
      'telegram-message',
      { credential, chatId: 1, text: 'Log: {{ input.log }}', parseMode: 'HTML' },
      { log: 'x'.repeat(4100) },
    )
    expect(step.status).toBe('failed')
    expect(step.error).toMatchObject({
      code: 'CONFIG_INVALID',
      message:
        "Step 1 'send' (telegram-message) failed: Invalid config: text: 4105 characters once " +
        'the HTML markup is read; Telegram sends up to 4096 per message: shorten it, or set ' +
        'long: "split" to send it as several messages',
    })
    expect((await telegram.received()).requests).toHaveLength(0)
  })

  it('splits a long text at line breaks with long: "split", never inside a span', async () => {
    const { telegram, credential } = await bot()
    const line = (n: number) => `*line ${n}* ` + 'a'.repeat(90)
    const lines = Array.from({ length: 60 }, (_, i) => line(i))
    const step = await runInWorkflow(
      'telegram-message',
      {
        credential,
        chatId: 1,
        text: '{{ input.head }}\n' + lines.join('\n'),
        parseMode: 'MarkdownV2',
        long: 'split',
      },
      { head: 'Report 1.2' },
    )
    expect(step.status).toBe('succeeded')
    const texts = (await telegram.received()).requests.map((r) => (r.body as { text: string }).text)
    expect(texts).toEqual([
      ['Report 1\\.2', ...lines.slice(0, 41)].join('\n'),
      lines.slice(41).join('\n'),
    ])
    expect(step.output).toMatchObject({ messageIds: [expect.any(Number), expect.any(Number)] })
  })
})
