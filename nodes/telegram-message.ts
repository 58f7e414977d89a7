import { z } from 'zod'
import { callTelegram, telegram, TELEGRAM_TEXT_LIMIT } from '../src/clients/telegram'
import {
  defineNode,
  escapeHtml,
  escapeMarkdown,
  escapeMarkdownV2,
  sendParts,
  splitMessage,
  visibleLength,
} from '../src/nodes/node-api'

type Sent = { message_id: number; chat: { id: number }; date: number }

const ESCAPERS = { MarkdownV2: escapeMarkdownV2, HTML: escapeHtml, Markdown: escapeMarkdown }

export default defineNode({
  type: 'telegram-message',
  title: 'Telegram message',
  description:
    'Sends a message from a Telegram bot (sendMessage) to a chat, group, channel or forum topic. ' +
    'Values that templates fill into the text are escaped for the parse mode. Returns the ' +
    'message id, chat id and date.',
  sample: {
    config: {
      credential: 'oncall-bot',
      chatId: 4242,
      text: '*Disk almost full* on db1',
      parseMode: 'MarkdownV2',
    },
    input: {},
  },
  service: telegram,
  escapeFilled: {
    fields: ['text'],
    escaper: (config) =>
      config.escapeData === false ? undefined : ESCAPERS[config.parseMode as keyof typeof ESCAPERS],
  },
  config: z
    .object({
      chatId: z
        .union([z.string().min(1), z.number().int()])
        .describe('A chat id (a number) or a channel username (@channel)'),
      threadId: z
        .number()
        .int()
        .positive()
        .optional()
        .describe("A forum topic's message_thread_id, to post in that topic"),
      text: z.string().min(1).describe('Up to 4,096 characters as shown, after the markup'),
      parseMode: z.enum(['MarkdownV2', 'HTML', 'Markdown']).optional(),
      escapeData: z
        .boolean()
        .default(true)
        .describe(
          'Escape what templates fill into text for the parse mode (the text you write is ' +
            'yours); false when the data is ready-made markup, or use $escapeMarkdownV2() and ' +
            'the like by hand',
        ),
      long: z
        .enum(['fail', 'split'])
        .default('fail')
        .describe('Text over 4,096 characters: fail, or split it into several messages'),
      disableNotification: z.boolean().optional().describe('Send silently'),
    })
    .superRefine((config, ctx) => {
      if (config.long === 'split') return
      const length = visibleLength(config.text, config.parseMode ?? 'plain')
      if (length <= TELEGRAM_TEXT_LIMIT) return
      const read = config.parseMode ? ` once the ${config.parseMode} markup is read` : ''
      ctx.addIssue({
        code: 'custom',
        path: ['text'],
        message:
          `${length} characters${read}; Telegram sends up to ${TELEGRAM_TEXT_LIMIT} per ` +
          'message: shorten it, or set long: "split" to send it as several messages',
      })
    }),
  async run(_input, ctx) {
    const { config } = ctx
    const credential = await ctx.credential()
    const texts =
      config.long === 'split'
        ? splitMessage(config.text, config.parseMode ?? 'plain', TELEGRAM_TEXT_LIMIT, 'config.text')
        : [config.text]
    const sent = await sendParts(texts, async (text) => {
      const params = {
        chat_id: config.chatId,
        message_thread_id: config.threadId,
        text,
        parse_mode: config.parseMode,
        disable_notification: config.disableNotification,
      }
      return (await callTelegram(credential, 'sendMessage', params, ctx.signal)) as Sent
    })
    const [first] = sent
    return {
      messageId: first!.message_id,
      chatId: first!.chat.id,
      date: first!.date,
      ...(config.long === 'split' ? { messageIds: sent.map((m) => m.message_id) } : {}),
    }
  },
})
