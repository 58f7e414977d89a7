// Telegram Bot API: POST /bot<token>/<method> (https://core.telegram.org/bots/api#making-requests).
// Every answer is { ok, result } or { ok: false, error_code, description, parameters? }, with the
// error_code as the HTTP status.
//
// Chats with a story:
//   404     does not exist ("Bad Request: chat not found")
//   -4242   a group that became a supergroup: refused with parameters.migrate_to_chat_id
//           (https://core.telegram.org/bots/api#responseparameters)
//   429     flood control: 429 with parameters.retry_after (https://core.telegram.org/bots/faq
//           "My bot is hitting limits, how do I avoid this?"; ResponseParameters.retry_after)
//   -100777 a forum supergroup: message_thread_id picks a topic, 1 and 777 exist
import { json } from './reply.js'
import { parseEntities } from './telegram-markup.js'

let messageId = 0

const MIGRATED_GROUP = '-4242'
const SUPERGROUP = -1004242424242
const FORUM = '-100777'
const TOPICS = new Set([1, 777])

const refuse = (status, description, parameters) =>
  json(status, {
    ok: false,
    error_code: status,
    description,
    ...(parameters ? { parameters } : {}),
  })

export function telegram(request) {
  const match = /^\/bot(\d+:[\w-]+)\/(\w+)$/.exec(request.path)
  if (!match || match[1].includes('invalid')) return refuse(401, 'Unauthorized')
  const [, , method] = match
  if (method.toLowerCase() !== 'sendmessage') return refuse(404, 'Not Found')
  const body = request.body ?? {}
  if (body.chat_id === undefined || body.chat_id === '')
    return refuse(400, 'Bad Request: chat_id is empty')
  const chat = String(body.chat_id)
  if (chat === '429') return refuse(429, 'Too Many Requests: retry after 7', { retry_after: 7 })
  if (!body.text) return refuse(400, 'Bad Request: message text is empty')
  // sendMessage: "text: 1-4096 characters after entities parsing", parse_mode per
  // https://core.telegram.org/bots/api#formatting-options. The markup is read before the chat.
  const parsed = parseEntities(body.text, body.parse_mode)
  if (parsed.error) return refuse(400, `Bad Request: can't parse entities: ${parsed.error}`)
  if (parsed.text.trim() === '') return refuse(400, 'Bad Request: message text is empty')
  if (parsed.text.length > 4096) return refuse(400, 'Bad Request: message is too long')
  if (chat === '404') return refuse(400, 'Bad Request: chat not found')
  if (chat === MIGRATED_GROUP)
    return refuse(400, 'Bad Request: group chat was upgraded to a supergroup chat', {
      migrate_to_chat_id: SUPERGROUP,
    })
  const thread = body.message_thread_id
  if (thread !== undefined && (chat !== FORUM || !TOPICS.has(thread)))
    return refuse(400, 'Bad Request: message thread not found')
  messageId += 1
  const chatId = Number(body.chat_id)
  return json(200, {
    ok: true,
    result: {
      message_id: messageId,
      from: { id: Number(match[1].split(':')[0]), is_bot: true, first_name: 'AutomateOS test bot' },
      chat: !Number.isFinite(chatId)
        ? { id: -1001234567890, type: 'channel', username: chat.slice(1) }
        : chat === FORUM
          ? { id: chatId, type: 'supergroup', is_forum: true }
          : { id: chatId, type: 'private' },
      date: Math.floor(Date.now() / 1000),
      text: parsed.text,
      ...(thread !== undefined ? { message_thread_id: thread, is_topic_message: true } : {}),
    },
  })
}
