import { z } from 'zod'
import { AutomateError } from '../errors'
import { retryAfterMs } from './transport/http'
import { apiUrl, callApi, rebase } from './call-api'
import { OAUTH2_KIND, oauthAccess, withAccessToken } from './oauth2'
import { type CredentialOf, defineService, httpUrl, secret } from './service'

export const slack = defineService({
  name: 'Slack',
  errorCode: 'SLACK_ERROR',
  baseUrl: 'https://slack.com/api',
  // "Posting messages: 1 per second" per channel, short bursts allowed
  // (https://api.slack.com/docs/rate-limits); incoming webhooks share it.
  rateLimit: { calls: 1, intervalMs: 1000 },
  credentials: {
    'slack-webhook': {
      data: z.object({ url: httpUrl().describe('The incoming webhook URL') }).strict(),
      sample: { url: 'https://hooks.slack.com/services/T0000000/B0000000/sampleSecret' },
    },
    'slack-bot': {
      data: z.object({ token: secret().describe('The bot token (xoxb-…)') }).strict(),
    },
    // A bot installed in a workspace with "Connect" (preset slack: oauth.v2.access).
    oauth2: OAUTH2_KIND,
  },
})

export type SlackMessage = {
  text?: string
  blocks?: unknown[]
  channel?: string
  thread_ts?: string
}

/**
 * ok:false codes that say Slack failed, not the request: worth another try, after Retry-After
 * when Slack sends one (https://api.slack.com/methods/chat.postMessage#errors). fatal_error stays
 * final: Slack says part of the operation may have succeeded before it.
 */
const TRANSIENT = new Set([
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
])

/**
 * Posts through an incoming webhook. Slack answers `ok` as text, and a failure as a text code
 * with a 4xx (invalid_payload, channel_not_found, …), which is the message the step shows.
 */
export async function postToWebhook(
  credential: CredentialOf<typeof slack, 'slack-webhook'>,
  message: SlackMessage,
  signal?: AbortSignal,
) {
  const { channel: _ignored, ...payload } = message
  await callApi({
    service: slack,
    url: rebase(credential.data.url, credential.baseUrl),
    json: payload,
    signal,
  })
  return { ok: true as const }
}

/**
 * chat.postMessage with a bot token. Slack answers most failures with HTTP 200 and
 * `{ ok: false, error: "channel_not_found" }`: that fails the step with Slack's code, for good
 * unless the code is a transient one. A rate limit is an HTTP 429 with Retry-After
 * (https://api.slack.com/apis/rate-limits), which callApi already retries.
 */
export async function postMessage(
  credential: CredentialOf<typeof slack, 'slack-bot' | 'oauth2'>,
  message: SlackMessage,
  signal?: AbortSignal,
) {
  const call = (token: string) => postWith(token, credential.baseUrl, message, signal)
  if (credential.type === 'slack-bot') return call(credential.data.token)
  // A rotating bot token that expired is `token_expired`, with HTTP 200 like every Slack failure
  // (https://api.slack.com/authentication/rotation).
  return withAccessToken(oauthAccess(credential, 'slack'), call, (error) =>
    ['token_expired', 'invalid_auth'].includes(
      ((error as AutomateError)?.details as { error?: string } | undefined)?.error ?? '',
    ),
  )
}

async function postWith(
  token: string,
  baseUrl: string | undefined,
  message: SlackMessage,
  signal?: AbortSignal,
) {
  const answer = await callApi({
    service: slack,
    url: apiUrl('https://slack.com/api', baseUrl, '/chat.postMessage'),
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json; charset=utf-8',
    },
    json: message,
    signal,
  })
  const body = answer.body as { ok?: boolean; error?: string; channel?: string; ts?: string }
  if (body?.ok !== true) {
    const transient = TRANSIENT.has(body?.error ?? '')
    throw new AutomateError('SLACK_ERROR', `Slack: ${body?.error ?? 'the answer was not ok'}`, {
      status: 502,
      retryable: transient,
      retryAfterMs: transient ? retryAfterMs(answer.headers.get('retry-after')) : undefined,
      details: { error: body?.error, body },
    })
  }
  return { channel: body.channel ?? null, ts: body.ts ?? null }
}
