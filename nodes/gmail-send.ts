import { z } from 'zod'
import { gmail, sendRaw } from '../src/clients/gmail'
import { base64Url, mimeMessage } from '../src/clients/mime-message'
import { defineNode } from '../src/nodes/node-api'

const addresses = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1).max(100)])
  .transform((value) => (Array.isArray(value) ? value : value.split(',').map((a) => a.trim())))

export default defineNode({
  type: 'gmail-send',
  title: 'Gmail: send an email',
  description:
    'Sends an email from the connected Google account (an oauth2 credential, preset google, ' +
    'scope gmail.send): plain text, HTML, or both; threadId files it in a thread of the sender.',
  sample: {
    config: {
      credential: 'my-gmail',
      to: 'ada@example.com',
      subject: 'Welcome, Ada',
      text: 'Thanks for signing up.',
    },
    input: {},
  },
  service: gmail,
  config: z
    .object({
      to: addresses.describe('Recipients: an address, "Name <address>", a list or comma-separated'),
      cc: addresses.optional(),
      bcc: addresses.optional(),
      subject: z.string().max(998).describe('The subject; any language (encoded per RFC 2047)'),
      text: z.string().max(5_000_000).optional().describe('The plain-text body'),
      html: z.string().max(5_000_000).optional().describe('The HTML body'),
      threadId: z.string().min(1).max(200).optional().describe('A Gmail thread id to reply in'),
    })
    .refine((c) => c.text !== undefined || c.html !== undefined, {
      message: 'give text, html or both',
      path: ['text'],
    }),
  async run(_input, ctx) {
    const { config, signal } = ctx
    const credential = await ctx.credential()
    const raw = base64Url(
      mimeMessage({
        to: config.to,
        cc: config.cc,
        bcc: config.bcc,
        subject: config.subject,
        text: config.text,
        html: config.html,
      }),
    )
    const sent = await sendRaw(
      credential,
      { raw, ...(config.threadId ? { threadId: config.threadId } : {}) },
      signal,
    )
    return { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds ?? [] }
  },
})
