// Discord's Execute Webhook: POST /api/webhooks/{webhook.id}/{webhook.token}[?wait=true]
// [&thread_id=] (https://discord.com/developers/docs/resources/webhook#execute-webhook). With
// wait=true the answer is the created message; without it, 204. Errors are { message, code } and,
// for a body that fails validation, code 50035 with an `errors` tree naming each field
// (https://discord.com/developers/docs/reference#error-messages). JSON error codes:
// https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes.
//
// Webhooks with a story: the id 220001 belongs to a forum channel; a token starting with
// "invalid" is wrong (401, code 50027); "ratelimited" and "globalratelimited" answer 429 as
// https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit shows.
import { json } from './reply.js'

let messages = 0

const FORUM_WEBHOOK = '220001'
const CHANNEL = '1100000000000000001'

// "For most API requests made, we return optional HTTP response headers containing the rate
// limit encountered" (rate-limits#header-format).
const bucket = (remaining) => ({
  'x-ratelimit-limit': '5',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': ((Date.now() + 2500) / 1000).toFixed(3),
  'x-ratelimit-reset-after': '2.5',
  'x-ratelimit-bucket': 'fake-webhook-bucket',
})

function rateLimited(global) {
  const headers = global
    ? { 'retry-after': '3', 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
    : { 'retry-after': '3', ...bucket(0), 'x-ratelimit-scope': 'shared' }
  const message = global ? 'You are being rate limited.' : 'The resource is being rate limited.'
  return json(429, { message, retry_after: 2.5, global }, headers)
}

const invalidForm = (errors) => json(400, { message: 'Invalid Form Body', code: 50035, errors })
const fieldError = (code, message) => ({ _errors: [{ code, message }] })

export function discord(request) {
  const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)$/.exec(request.path)
  if (request.method !== 'POST' || !match) return json(404, { message: '404: Not Found', code: 0 })
  const [, webhookId, token] = match
  if (token.startsWith('invalid'))
    return json(401, { message: 'Invalid Webhook Token', code: 50027 })
  if (token.startsWith('ratelimited')) return rateLimited(false)
  if (token.startsWith('globalratelimited')) return rateLimited(true)
  const body = request.body ?? {}
  const threadId = request.query.thread_id
  const forum = webhookId === FORUM_WEBHOOK
  if (forum && !body.thread_name && !threadId)
    return json(400, {
      message: 'Webhooks posted to forum channels must have a thread_name or thread_id',
      code: 220001,
    })
  if (forum && body.thread_name && threadId)
    return json(400, {
      message: 'Webhooks posted to forum channels cannot have both a thread_name and thread_id',
      code: 220002,
    })
  if (!forum && body.thread_name)
    return json(400, {
      message: 'Webhooks can only create threads in forum channels',
      code: 220003,
    })
  if (!body.content && !(body.embeds?.length > 0)) {
    return json(400, { message: 'Cannot send an empty message', code: 50006 })
  }
  // content: "the message contents (up to 2000 characters)"; thread_name is a channel name
  // (1-100 characters).
  if (typeof body.content === 'string' && body.content.length > 2000)
    return invalidForm({
      content: fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.'),
    })
  if (typeof body.thread_name === 'string' && body.thread_name.length > 100)
    return invalidForm({
      thread_name: fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'),
    })
  // Embed limits: a title is at most 256 characters
  // (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
  const longTitle = (body.embeds ?? []).findIndex((e) => String(e?.title ?? '').length > 256)
  if (longTitle >= 0)
    return invalidForm({
      embeds: {
        [longTitle]: {
          title: fieldError('BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.'),
        },
      },
    })
  if (request.query.wait !== 'true') return { status: 204, headers: bucket(4), body: '' }
  messages += 1
  const id = String(1_200_000_000_000_000_000n + BigInt(messages))
  // A message in a thread has the thread as its channel; a new forum post is a thread whose id
  // is its first message's.
  const channelId = threadId ?? (body.thread_name ? id : CHANNEL)
  return json(
    200,
    {
      id,
      type: 0,
      channel_id: channelId,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      author: { id: webhookId, username: body.username ?? 'Captain Hook', bot: true },
      webhook_id: webhookId,
      timestamp: new Date().toISOString(),
    },
    bucket(4),
  )
}
