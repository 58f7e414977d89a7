import type { WebhookTrigger } from '../../workflow/trigger'
import { parseRequestJson } from '../json-depth'

// What some senders do besides delivering events, each as its documentation says. These run
// after the signature check, so a forged request is refused before any of it.

/** An answer that is not a run: a sender's handshake or test event. */
export type HandshakeAnswer = { body: string; contentType: string }

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * GitHub's default content type for a new webhook is application/x-www-form-urlencoded, with the
 * JSON in one `payload` field (docs.github.com/en/webhooks/webhook-events-and-payloads, "Delivery
 * headers" and the "content type" setting: "payload" parameter). Such a body from GitHub (it
 * names its event in X-GitHub-Event) becomes that JSON; the signature was checked over the raw
 * form body before.
 */
export function githubFormPayload(headers: Headers, payload: unknown): unknown {
  if (!headers.has('x-github-event') || !isObject(payload)) return payload
  const keys = Object.keys(payload)
  const json = payload.payload
  if (keys.length !== 1 || typeof json !== 'string') return payload
  return parseRequestJson(json)
}

/**
 * Requests answered 200 without starting a run:
 * - GitHub's `ping` event, sent when a webhook is created (docs.github.com/en/webhooks/
 *   webhook-events-and-payloads#ping); any 2xx marks the hook as working.
 * - Slack's Events API `url_verification` (api.slack.com/events/url_verification): "verify the
 *   request's authenticity and then respond in plaintext with the challenge attribute value".
 *   Only on a workflow that checks Slack's signature: echoing a stranger's text is no use.
 */
export function handshakeAnswer(
  rule: WebhookTrigger,
  headers: Headers,
  payload: unknown,
): HandshakeAnswer | undefined {
  if (headers.get('x-github-event') === 'ping') {
    return { body: JSON.stringify({ ok: true, event: 'ping' }), contentType: 'application/json' }
  }
  const signature = rule.signature
  if (
    signature &&
    'preset' in signature &&
    signature.preset === 'slack' &&
    isObject(payload) &&
    payload.type === 'url_verification' &&
    typeof payload.challenge === 'string'
  ) {
    return { body: payload.challenge, contentType: 'text/plain; charset=utf-8' }
  }
  return undefined
}

/**
 * Slack's Events API event id (api.slack.com/apis/events-api, "Callback field overview" and
 * "Retries"): a failed delivery is retried up to three times with X-Slack-Retry-Num, signed
 * anew with a new timestamp, so the signature never matches the first one; `event_id` does.
 */
export function slackEventId(rule: WebhookTrigger, payload: unknown): string | undefined {
  const signature = rule.signature
  if (!signature || !('preset' in signature) || signature.preset !== 'slack') return undefined
  if (!isObject(payload) || typeof payload.event_id !== 'string') return undefined
  return payload.event_id
}
