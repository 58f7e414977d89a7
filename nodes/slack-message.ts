import { z } from 'zod'
import { postMessage, postToWebhook, slack } from '../src/clients/slack'
import { AutomateError, defineNode, escapeSlack } from '../src/nodes/node-api'

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
  escapeFilled: {
    fields: ['text', 'blocks'],
    escaper: (config, path) =>
      config.escapeData !== false && (path[0] === 'text' || isMrkdwnText(config.blocks, path))
        ? escapeSlack
        : undefined,
  },
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
      escapeData: z
        .boolean()
        .default(true)
        .describe(
          'Escape &, < and > in what templates fill into text and mrkdwn blocks, so data cannot ' +
            'mention <!channel> or make links; false when the data is ready-made mrkdwn',
        ),
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

/**
 * The `text` of a mrkdwn text object in blocks, where Slack reads &, < and >. plain_text is shown
 * as it is, and URLs (image_url, a button's url) must keep their & (Block Kit text objects:
 * https://api.slack.com/reference/block-kit/composition-objects#text).
 */
function isMrkdwnText(blocks: unknown, path: (string | number)[]) {
  if (path[0] !== 'blocks' || path[path.length - 1] !== 'text') return false
  let holder: unknown = { blocks }
  for (const part of path.slice(0, -1)) holder = (holder as Record<string, unknown>)?.[part]
  return (holder as { type?: unknown } | undefined)?.type === 'mrkdwn'
}
