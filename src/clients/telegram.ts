import { z } from 'zod'
import { AutomateError } from '../errors'
import { originsOnly } from '../redact/origins-only'
import { apiUrl, callApi } from './call-api'
import { type CredentialOf, defineService, secret } from './service'

export const telegram = defineService({
  name: 'Telegram',
  errorCode: 'TELEGRAM_ERROR',
  baseUrl: 'https://api.telegram.org',
  // "Avoid sending more than one message per second" in a chat, about 30 a second across chats,
  // 20 a minute in a group (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
  rateLimit: { calls: 1, intervalMs: 1000 },
  credentials: {
    'telegram-bot': {
      data: z.object({ token: secret().describe("BotFather's token") }).strict(),
      sample: { token: '123456:sample-token' },
    },
  },
})

type TelegramAnswer = {
  ok: boolean
  result?: unknown
  description?: string
  error_code?: number
  parameters?: { retry_after?: number; migrate_to_chat_id?: number }
}

// sendMessage's text: "1-4096 characters after entities parsing"
// (https://core.telegram.org/bots/api#sendmessage).
export const TELEGRAM_TEXT_LIMIT = 4096

/**
 * Telegram's description, and where a group went when it became a supergroup: the answer's
 * parameters.migrate_to_chat_id is the id to use from now on
 * (https://core.telegram.org/bots/api#responseparameters).
 */
const messageOf = (body: unknown) => {
  const answer = body as TelegramAnswer | null
  const moved = answer?.parameters?.migrate_to_chat_id
  if (moved === undefined) return answer?.description
  const said = answer?.description ?? 'the chat moved'
  return `${said}; it is now chat ${moved}: set chatId to ${moved}`
}
const retryAfterOf = (body: unknown) => {
  const seconds = (body as TelegramAnswer | null)?.parameters?.retry_after
  return typeof seconds === 'number' ? seconds * 1000 : undefined
}

/**
 * One Bot API method: POST {base}/bot<token>/<method> with a JSON body. Failures are
 * `{ ok: false, error_code, description, parameters? }`, and the description is the message.
 * The token is in the path, which is why no message here ever names the path.
 */
export async function callTelegram(
  credential: CredentialOf<typeof telegram>,
  method: string,
  params: Record<string, unknown>,
  signal?: AbortSignal,
) {
  const answer = await callApi({
    service: telegram,
    url: apiUrl(
      'https://api.telegram.org',
      credential.baseUrl,
      `/bot${credential.data.token}/${method}`,
    ),
    json: params,
    signal,
    messageOf,
    retryAfterOf,
  })
  const body = answer.body as TelegramAnswer
  if (body?.ok !== true) {
    throw new AutomateError(
      'TELEGRAM_ERROR',
      `Telegram: ${originsOnly(messageOf(body)) ?? 'the answer was not ok'}`,
      {
        status: 502,
        retryable: false,
        details: { body },
      },
    )
  }
  return body.result
}
