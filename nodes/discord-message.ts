import { z } from 'zod'
import { discord, DISCORD_CONTENT_LIMIT, executeWebhook } from '../src/clients/discord'
import { defineNode, escapeDiscord, sendParts, splitMessage } from '../src/nodes/node-api'

export default defineNode({
  type: 'discord-message',
  title: 'Discord message',
  description:
    'Posts a message to a Discord channel through its webhook, or to a forum post (threadName ' +
    'starts one, threadId posts in one). Mentions ping nobody unless allowedMentions says so. ' +
    'Returns the message id, channel and time.',
  sample: {
    config: { credential: 'team-discord', content: 'New signup: Ada <ada@example.com>' },
    input: {},
  },
  service: discord,
  escapeFilled: {
    fields: ['content', 'embeds'],
    escaper: (config, path) =>
      config.escapeData !== false && (path[0] === 'content' || isMarkdownInEmbed(path))
        ? escapeDiscord
        : undefined,
  },
  config: z
    .object({
      content: z.string().optional().describe('The text, up to 2,000 characters'),
      username: z.string().min(1).max(80).optional().describe("Overrides the webhook's name"),
      avatarUrl: z.string().url().optional().describe("Overrides the webhook's avatar"),
      embeds: z
        .array(z.record(z.string(), z.unknown()))
        .max(10)
        .optional()
        .describe("Up to 10 embeds, in Discord's embed format"),
      allowedMentions: z
        .object({
          parse: z.array(z.enum(['users', 'roles', 'everyone'])).default([]),
          users: z.array(z.string()).max(100).optional(),
          roles: z.array(z.string()).max(100).optional(),
        })
        .default({ parse: [] })
        .describe('Who may be pinged; by default nobody, so a payload cannot ping @everyone'),
      threadName: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('Starts a post of this name: needed for a webhook in a forum or media channel'),
      threadId: z
        .string()
        .regex(/^\d+$/, 'a thread (or forum post) id: digits')
        .optional()
        .describe('Posts in this thread or forum post'),
      escapeData: z
        .boolean()
        .default(true)
        .describe(
          'Values that templates fill into the content and embed text are escaped, so data ' +
            'shows as written (no *bold*, [masked](links) or > quotes from a payload); false ' +
            'when the data is ready-made markdown, or use $escapeDiscord() by hand',
        ),
      long: z
        .enum(['fail', 'split'])
        .default('fail')
        .describe('Content over 2,000 characters: fail, or split it into several messages'),
    })
    .refine((c) => c.content || c.embeds?.length, {
      message: 'give content or embeds',
      path: ['content'],
    })
    // Discord refuses both with code 220002.
    .refine((c) => !(c.threadName && c.threadId), {
      message: 'give threadName (a new post) or threadId (an existing one), not both',
      path: ['threadId'],
    })
    .refine((c) => c.long === 'split' || (c.content ?? '').length <= DISCORD_CONTENT_LIMIT, {
      message:
        `longer than the ${DISCORD_CONTENT_LIMIT} characters Discord takes in one message: ` +
        'shorten it, or set long: "split" to send it as several messages',
      path: ['content'],
    }),
  async run(_input, ctx) {
    const { config } = ctx
    const credential = await ctx.credential()
    const contents =
      config.content && config.long === 'split'
        ? splitMessage(config.content, 'plain', DISCORD_CONTENT_LIMIT, 'config.content')
        : [config.content ?? '']
    let threadId = config.threadId
    const sent = await sendParts(contents, async (content, index) => {
      const last = index === contents.length - 1
      const message = await executeWebhook(
        credential,
        {
          content: content || undefined,
          username: config.username,
          avatar_url: config.avatarUrl,
          // The embeds follow the text they belong to: with the last part.
          embeds: last ? config.embeds : undefined,
          allowed_mentions: config.allowedMentions,
          // The first part starts the post; the rest go into it.
          thread_name: threadId ? undefined : config.threadName,
        },
        ctx.signal,
        threadId,
      )
      if (config.threadName) threadId = message.channel_id
      return message
    })
    const [first] = sent
    return {
      id: first!.id,
      channelId: first!.channel_id,
      timestamp: first!.timestamp ?? null,
      ...(config.long === 'split' ? { ids: sent.map((m) => m.id) } : {}),
    }
  },
})

/** The embed fields Discord renders as markdown; titles, names and footers show plain text. */
function isMarkdownInEmbed(path: (string | number)[]) {
  if (path[0] !== 'embeds') return false
  const [, , field, , leaf] = path
  return field === 'description' || (field === 'fields' && leaf === 'value')
}
