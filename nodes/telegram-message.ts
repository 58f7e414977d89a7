import { z } from 'zod'
import { callTelegram, telegram } from '../src/clients/telegram'
import { defineNode } from '../src/nodes/node-api'

export default defineNode({
  type: 'telegram-message',
  title: 'Telegram message',
  description:
    'Sends a message from a Telegram bot (sendMessage) to a chat, group or channel. Returns the ' +
    'message id, chat id and date.',
  sample: {
    config: { credential: 'oncall-bot', chatId: 4242, text: 'Disk almost full on db-1' },
    input: {},
  },
  service: telegram,
  config: z.object({
    chatId: z
      .union([z.string().min(1), z.number().int()])
      .describe('A chat id (a number) or a channel username (@channel)'),
    text: z.string().min(1).max(4096).describe('1-4,096 characters'),
    parseMode: z.enum(['MarkdownV2', 'HTML', 'Markdown']).optional(),
    disableNotification: z.boolean().optional().describe('Send silently'),
  }),
  async run(_input, ctx) {
    const { config } = ctx
    const message = (await callTelegram(
      await ctx.credential(),
      'sendMessage',
      {
        chat_id: config.chatId,
        text: config.text,
        parse_mode: config.parseMode,
        disable_notification: config.disableNotification,
      },
      ctx.signal,
    )) as { message_id: number; chat: { id: number }; date: number }
    return { messageId: message.message_id, chatId: message.chat.id, date: message.date }
  },
})
