// Slack: incoming webhooks (POST /services/T…/B…/secret, answered "ok" as text, errors as a text
// code with a 4xx: https://api.slack.com/messaging/webhooks#handling_errors) and chat.postMessage
// (POST /api/chat.postMessage with a bot token; HTTP 200 with { ok: false, error } on failure:
// https://api.slack.com/methods/chat.postMessage).
import { bearerOf, json, text } from './reply.js'

let ts = 1_700_000_000

export function slack(request) {
  if (request.path.startsWith('/services/')) return incomingWebhook(request)
  if (request.path === '/api/chat.postMessage' && request.method === 'POST')
    return postMessage(request)
  return json(200, { ok: false, error: 'unknown_method' })
}

function incomingWebhook(request) {
  if (!/^\/services\/T\w+\/B\w+\/\w+$/.test(request.path) || request.path.endsWith('/revoked'))
    return text(403, 'invalid_token')
  const body = request.body
  if (typeof body !== 'object' || body === null) return text(400, 'invalid_payload')
  if (!body.text && !(body.blocks?.length > 0)) return text(400, 'no_text')
  return text(200, 'ok')
}

function postMessage(request) {
  const token = bearerOf(request)
  if (!token) return json(200, { ok: false, error: 'not_authed' })
  if (!token.startsWith('xoxb-') || token.includes('invalid'))
    return json(200, { ok: false, error: 'invalid_auth' })
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json'))
    return json(200, { ok: false, error: 'invalid_arguments' })
  const body = request.body ?? {}
  if (!body.channel) return json(200, { ok: false, error: 'channel_not_found' })
  if (body.channel === 'C0NOTMEMBER') return json(200, { ok: false, error: 'not_in_channel' })
  if (!body.text && !(body.blocks?.length > 0)) return json(200, { ok: false, error: 'no_text' })
  ts += 1
  const stamp = `${ts}.000100`
  return json(200, {
    ok: true,
    channel: body.channel,
    ts: stamp,
    message: {
      type: 'message',
      text: body.text ?? '',
      ts: stamp,
      ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
    },
  })
}
