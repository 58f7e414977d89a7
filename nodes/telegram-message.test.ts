import { describe, expect, it } from 'vitest'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
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
