import { z } from 'zod'
import { callApi, rebase } from './call-api'
import { type CredentialOf, defineService, httpUrl } from './service'

export const discord = defineService({
  name: 'Discord',
  errorCode: 'DISCORD_ERROR',
  baseUrl: 'https://discord.com',
  // Discord's limits are per route and read from X-RateLimit-* headers
  // (https://discord.com/developers/docs/topics/rate-limits); an execute-webhook route allows
  // 5 calls per 2 s (its X-RateLimit-Limit: 5 with a 2 s reset).
  rateLimit: { calls: 5, intervalMs: 2000 },
  credentials: {
    'discord-webhook': {
      data: z.object({ url: httpUrl().describe("The channel webhook's URL") }).strict(),
      sample: { url: 'https://discord.com/api/webhooks/112233445566778899/sample-token' },
    },
  },
})

export type DiscordMessage = {
  content?: string
  username?: string
  avatar_url?: string
  embeds?: unknown[]
  allowed_mentions: { parse: string[]; users?: string[]; roles?: string[] }
  /** Creates a post of this name in a forum or media channel. */
  thread_name?: string
}

// Execute Webhook's content: "the message contents (up to 2000 characters)"
// (https://discord.com/developers/docs/resources/webhook#execute-webhook).
export const DISCORD_CONTENT_LIMIT = 2000

// What the user can do about a code, where Discord's own words do not say it
// (https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes).
const HINTS: Record<number, string> = {
  220001: 'the webhook is in a forum or media channel: set threadName to start a post, or threadId',
  220002: 'set threadName or threadId, not both',
  220003: 'threadName only works for a webhook in a forum or media channel',
}

type DiscordError = { message?: string; code?: number; errors?: unknown }

/**
 * Discord's message, with each field its `errors` tree names: "Invalid Form Body" alone does not
 * say which field (https://discord.com/developers/docs/reference#error-messages).
 */
export function discordMessageOf(body: unknown): string | undefined {
  const error = body as DiscordError | null
  if (typeof error?.message !== 'string') return undefined
  const fields = fieldErrors(error.errors)
  const hint = typeof error.code === 'number' ? HINTS[error.code] : undefined
  return [error.message, fields.length ? fields.join('; ') : undefined, hint]
    .filter(Boolean)
    .join(': ')
}

/** `content: Must be 2000 or fewer in length. (BASE_TYPE_MAX_LENGTH)`, one per field. */
function fieldErrors(tree: unknown, path: string[] = []): string[] {
  if (typeof tree !== 'object' || tree === null) return []
  const found: string[] = []
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors' && Array.isArray(value)) {
      for (const item of value as { code?: string; message?: string }[]) {
        const code = item.code ? ` (${item.code})` : ''
        found.push(`${path.join('.') || 'body'}: ${item.message ?? 'invalid'}${code}`)
      }
    } else found.push(...fieldErrors(value, [...path, key]))
  }
  return found
}

/**
 * Executes a channel webhook (POST {webhook url}?wait=true) and returns the message Discord
 * created; `threadId` posts into that thread (or forum post). A 429 carries `retry_after` in
 * seconds in its body as well as a Retry-After header
 * (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
 */
export async function executeWebhook(
  credential: CredentialOf<typeof discord>,
  message: DiscordMessage,
  signal?: AbortSignal,
  threadId?: string,
) {
  const url = rebase(credential.data.url, credential.baseUrl)
  url.searchParams.set('wait', 'true')
  if (threadId) url.searchParams.set('thread_id', threadId)
  const answer = await callApi({
    service: discord,
    url,
    json: message,
    signal,
    messageOf: discordMessageOf,
    retryAfterOf: (body) => {
      const seconds = (body as { retry_after?: unknown } | null)?.retry_after
      return typeof seconds === 'number' ? Math.ceil(seconds * 1000) : undefined
    },
  })
  return answer.body as { id: string; channel_id: string; timestamp?: string }
}
