import { z } from 'zod'
import { discord, executeWebhook } from '../src/clients/discord'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'discord-message',
  title: 'Discord message',
  description:
    'Posts a message to a Discord channel through its webhook. Mentions ping nobody unless ' +
    'allowedMentions says so. Returns the message id, channel and time.',
  sample: {
    config: { credential: 'team-discord', content: 'New signup: Ada <ada@example.com>' },
    input: {},
  },
  service: discord,
  config: z
    .object({
      content: z.string().max(2000).optional().describe('The text, up to 2,000 characters'),
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
    })
    .refine((c) => c.content || c.embeds?.length, {
      message: 'give content or embeds',
      path: ['content'],
    }),
  async run(_input, ctx) {
    const { config } = ctx
    const message = await executeWebhook(
      await ctx.credential(),
      {
        content: config.content,
        username: config.username,
        avatar_url: config.avatarUrl,
        embeds: config.embeds,
        allowed_mentions: config.allowedMentions,
      },
      ctx.signal,
    )
    return { id: message.id, channelId: message.channel_id, timestamp: message.timestamp ?? null }
  },
})
