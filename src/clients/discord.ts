import { z } from 'zod'
import { callApi, rebase } from './call-api'
import { type CredentialOf, defineService, httpUrl } from './service'

export const discord = defineService({
  name: 'Discord',
  errorCode: 'DISCORD_ERROR',
  baseUrl: 'https://discord.com',
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
}

/**
 * Executes a channel webhook (POST {webhook url}?wait=true) and returns the message Discord
 * created. A 429 carries `retry_after` in seconds in its body as well as a Retry-After header.
 */
export async function executeWebhook(
  credential: CredentialOf<typeof discord>,
  message: DiscordMessage,
  signal?: AbortSignal,
) {
  const url = rebase(credential.data.url, credential.baseUrl)
  url.searchParams.set('wait', 'true')
  const answer = await callApi({
    service: discord,
    url,
    json: message,
    signal,
    retryAfterOf: (body) => {
      const seconds = (body as { retry_after?: unknown } | null)?.retry_after
      return typeof seconds === 'number' ? Math.ceil(seconds * 1000) : undefined
    },
  })
  return answer.body as { id: string; channel_id: string; timestamp?: string }
}
