// Discord's Execute Webhook: POST /api/webhooks/{webhook.id}/{webhook.token}[?wait=true]
// (https://discord.com/developers/docs/resources/webhook#execute-webhook). With wait=true the
// answer is the created message; without it, 204. Errors are { message, code }; a token that does
// not match is 401 "Invalid Webhook Token" (code 50027); an empty message is 400 code 50006.
import { json } from './reply.js'

let messages = 0

export function discord(request) {
  const match = /^\/api(?:\/v\d+)?\/webhooks\/(\d+)\/([\w-]+)$/.exec(request.path)
  if (request.method !== 'POST' || !match) return json(404, { message: '404: Not Found', code: 0 })
  const [, webhookId, token] = match
  if (token.startsWith('invalid'))
    return json(401, { message: 'Invalid Webhook Token', code: 50027 })
  const body = request.body ?? {}
  if (!body.content && !(body.embeds?.length > 0)) {
    return json(400, { message: 'Cannot send an empty message', code: 50006 })
  }
  if (typeof body.content === 'string' && body.content.length > 2000) {
    return json(400, {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        content: {
          _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 2000 or fewer in length.' }],
        },
      },
    })
  }
  if (request.query.wait !== 'true') return { status: 204, headers: {}, body: '' }
  messages += 1
  return json(200, {
    id: String(1_200_000_000_000_000_000n + BigInt(messages)),
    type: 0,
    channel_id: '1100000000000000001',
    content: body.content ?? '',
    embeds: body.embeds ?? [],
    author: { id: webhookId, username: body.username ?? 'Captain Hook', bot: true },
    webhook_id: webhookId,
    timestamp: new Date().toISOString(),
  })
}
