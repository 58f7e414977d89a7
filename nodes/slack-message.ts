import { z } from 'zod'
import { postMessage, postToWebhook, slack } from '../src/clients/slack'
import { AutomateError, defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'slack-message',
  title: 'Slack message',
  description:
    'Posts a message to Slack: through an incoming webhook (a slack-webhook credential) or with ' +
    'chat.postMessage and a bot token (a slack-bot credential, which needs a channel).',
  sample: {
    config: { credential: 'team-slack', text: 'Deploy finished :white_check_mark:' },
    input: {},
  },
  service: slack,
  config: z
    .object({
      text: z
        .string()
        .max(40_000)
        .optional()
        .describe('The text (mrkdwn); the notification text when blocks are given'),
      channel: z
        .string()
        .min(1)
        .optional()
        .describe('A channel id (C…) or name; needed with a bot token, ignored by a webhook'),
      blocks: z.array(z.record(z.string(), z.unknown())).max(50).optional().describe('Block Kit'),
      threadTs: z.string().optional().describe("Reply in the thread of this message's ts"),
    })
    .refine((c) => c.text || c.blocks?.length, { message: 'give text or blocks', path: ['text'] }),
  async run(_input, ctx) {
    const { config, signal } = ctx
    const credential = await ctx.credential()
    const message = { text: config.text, blocks: config.blocks, thread_ts: config.threadTs }
    if (credential.type === 'slack-webhook') return postToWebhook(credential, message, signal)
    if (!config.channel) {
      throw new AutomateError('CONFIG_INVALID', 'A slack-bot credential needs config.channel', {
        retryable: false,
        details: [{ path: 'config.channel', message: 'required with a slack-bot credential' }],
      })
    }
    const posted = await postMessage(credential, { ...message, channel: config.channel }, signal)
    return { ok: true, ...posted }
  },
})
