// Telegram Bot API: POST /bot<token>/<method> (https://core.telegram.org/bots/api#making-requests).
// Every answer is { ok, result } or { ok: false, error_code, description, parameters? }.
import { json } from './reply.js'

let messageId = 0

export function telegram(request) {
  const match = /^\/bot(\d+:[\w-]+)\/(\w+)$/.exec(request.path)
  if (!match || match[1].includes('invalid'))
    return json(401, { ok: false, error_code: 401, description: 'Unauthorized' })
  const [, , method] = match
  if (method.toLowerCase() !== 'sendmessage')
    return json(404, { ok: false, error_code: 404, description: 'Not Found' })
  const body = request.body ?? {}
  if (body.chat_id === undefined || body.chat_id === '')
    return json(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' })
  if (String(body.chat_id) === '404')
    return json(400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' })
  if (!body.text)
    return json(400, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: message text is empty',
    })
  if (body.parse_mode === 'MarkdownV2' && /(^|[^\\])[.!]/.test(body.text))
    return json(400, {
      ok: false,
      error_code: 400,
      description:
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    })
  messageId += 1
  const chatId = Number(body.chat_id)
  return json(200, {
    ok: true,
    result: {
      message_id: messageId,
      from: { id: Number(match[1].split(':')[0]), is_bot: true, first_name: 'AutomateOS test bot' },
      chat: Number.isFinite(chatId)
        ? { id: chatId, type: 'private' }
        : { id: -1001234567890, type: 'channel', username: String(body.chat_id).slice(1) },
      date: Math.floor(Date.now() / 1000),
      text: body.text,
    },
  })
}
