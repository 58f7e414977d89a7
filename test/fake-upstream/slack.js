// Slack: incoming webhooks (POST /services/T…/B…/secret, answered "ok" as text, errors as a text
// code with a 4xx: https://api.slack.com/messaging/webhooks#handling_errors) and chat.postMessage
// (POST /api/chat.postMessage with a bot token; HTTP 200 with { ok: false, error } on failure:
// https://api.slack.com/methods/chat.postMessage).
//
// Channels with a story: C0NOTMEMBER (not_in_channel); C0RATELIMITED, and a webhook whose last
// path part is "ratelimited", answer HTTP 429 with Retry-After, as Slack's rate limits do for the
// Web API and incoming webhooks alike (https://api.slack.com/apis/rate-limits); C0INTERNAL,
// C0UNAVAILABLE, C0TIMEOUT and C0FATAL answer ok:false with internal_error, service_unavailable,
// request_timeout and fatal_error (chat.postMessage's error list).
import { bearerOf, json, text } from './reply.js'

let ts = 1_700_000_000

export function slack(request) {
  if (request.path.startsWith('/services/')) return incomingWebhook(request)
  if (request.path === '/api/chat.postMessage' && request.method === 'POST')
    return postMessage(request)
  return json(200, { ok: false, error: 'unknown_method' })
}

const RATE_LIMITED = { 'retry-after': '30' }
const FAILING = {
  C0INTERNAL: 'internal_error',
  C0UNAVAILABLE: 'service_unavailable',
  C0TIMEOUT: 'request_timeout',
  C0FATAL: 'fatal_error',
}

function incomingWebhook(request) {
  if (!/^\/services\/T\w+\/B\w+\/\w+$/.test(request.path) || request.path.endsWith('/revoked'))
    return text(403, 'invalid_token')
  if (request.path.endsWith('/ratelimited')) return text(429, '', RATE_LIMITED)
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
  if (body.channel === 'C0RATELIMITED')
    return json(429, { ok: false, error: 'ratelimited' }, RATE_LIMITED)
  if (FAILING[body.channel]) return json(200, { ok: false, error: FAILING[body.channel] })
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
