import { z } from 'zod'
import { KEY_SLOT } from '../credentials/keyring'
import { jsonataSource } from '../lib/jsonata'
import { cronIssue, timezoneIssue } from '../schedules/cron'
import { findPollTrigger, listPollTriggers } from '../triggers/registry'
import { EVERY_PATTERN, MAX_POLL_ITEMS, everyIssue } from './poll-every'

/**
 * Worker secrets a webhook rule must never be pointed at: they would turn the hook into an oracle.
 * Every encryption key slot (ENCRYPTION_KEY_2… after a rotation) is one, not only the first.
 */
export function isReservedSecret(name: string) {
  return name === 'ADMIN_TOKEN' || KEY_SLOT.test(name)
}

const dedupe = z
  .object({
    header: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('a delivery id header, e.g. X-GitHub-Delivery'),
    path: jsonataSource().optional().describe('a JSONata path into the body, e.g. id'),
  })
  .strict()
  .refine((d) => d.header || d.path, 'give a header or a path')

const secretName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'must be the name of a Worker secret (e.g. GITHUB_WEBHOOK_SECRET) or of a webhook-secret credential',
  )
  .refine((name) => !isReservedSecret(name), 'names a secret AutomateOS keeps for itself')
  .describe('the name of the Worker secret or webhook-secret credential (never the key itself)')

const hmacRule = z
  .object({
    header: z
      .string()
      .min(1)
      .max(100)
      .describe('the header carrying the HMAC, e.g. X-Hub-Signature-256'),
    secret: secretName,
    algorithm: z.enum(['sha1', 'sha256', 'sha512']).default('sha256'),
    encoding: z.enum(['hex', 'base64']).default('hex'),
    prefix: z.string().max(20).default('').describe("text before the digest, e.g. 'sha256='"),
  })
  .strict()

export const SIGNATURE_PRESETS = ['github', 'stripe', 'slack', 'shopify', 'notion'] as const

const presetRule = z
  .object({
    preset: z.enum(SIGNATURE_PRESETS).describe("the sender's documented signing scheme"),
    secret: secretName,
  })
  .strict()

export const WEBHOOK_METHODS = ['POST', 'PUT', 'GET'] as const

const webhookTrigger = z
  .object({
    type: z.literal('webhook'),
    dedupe: dedupe.optional(),
    signature: z.union([presetRule, hmacRule]).optional(),
    respond: z
      .enum(['async', 'sync'])
      .optional()
      .describe('async: 202 at once; sync: wait up to 25 s for the run and answer its output'),
    methods: z
      .array(z.enum(WEBHOOK_METHODS))
      .min(1)
      .max(3)
      .optional()
      .describe('the HTTP methods it accepts (default POST); GET passes the query as the input'),
  })
  .strict()

const scheduleTrigger = z
  .object({
    type: z.literal('schedule'),
    cron: z.string().trim().min(1).max(200).describe('five fields: minute hour day month weekday'),
    timezone: z.string().min(1).max(64).default('UTC').describe('an IANA time zone'),
    catchUp: z
      .enum(['none', 'once', 'all'])
      .default('once')
      .describe('missed times: skip them, one run for all, or one run each (at most 100)'),
    input: z.unknown().optional().describe("the run's input (default {})"),
  })
  .strict()
  .superRefine((trigger, ctx) => {
    const zone = timezoneIssue(trigger.timezone)
    if (zone) ctx.addIssue({ code: 'custom', path: ['timezone'], message: zone })
    const cron = zone ? undefined : cronIssue(trigger.cron, trigger.timezone)
    if (cron) ctx.addIssue({ code: 'custom', path: ['cron'], message: cron })
  })

const pollTrigger = z
  .object({
    type: z.literal('poll'),
    source: z.string().min(1).max(100).describe('the polling trigger type, e.g. http-poll'),
    every: z
      .string()
      .regex(EVERY_PATTERN, 'must be a number and a unit: 1m, 5m, 2h or 1d')
      .default('5m')
      .describe('how often to poll: at least 1m (the cron ticks once a minute)'),
    config: z.record(z.string(), z.unknown()).default({}).describe("the source's config"),
    processExisting: z
      .boolean()
      .default(false)
      .describe('the first poll starts runs for what is already there (default: only new items)'),
    maxItems: z
      .number()
      .int()
      .min(1)
      .max(MAX_POLL_ITEMS)
      .default(MAX_POLL_ITEMS)
      .describe('most runs one poll starts, oldest first; the rest wait for the next poll'),
  })
  .strict()
  .superRefine((trigger, ctx) => {
    const every = everyIssue(trigger.every)
    if (every) ctx.addIssue({ code: 'custom', path: ['every'], message: every })
    const source = findPollTrigger(trigger.source)
    if (!source) {
      const known = listPollTriggers().map((t) => t.type)
      ctx.addIssue({
        code: 'custom',
        path: ['source'],
        message: `unknown polling trigger '${trigger.source}'; one of ${known.join(', ')}`,
      })
      return
    }
    const parsed = source.config.safeParse(trigger.config)
    if (parsed.success) return
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message })
    }
  })

export const triggerSchema = z.discriminatedUnion('type', [
  webhookTrigger,
  scheduleTrigger,
  pollTrigger,
])

export type Trigger = z.output<typeof triggerSchema>
export type WebhookTrigger = z.output<typeof webhookTrigger>
export type ScheduleTrigger = z.output<typeof scheduleTrigger>
export type PollTrigger = z.output<typeof pollTrigger>
export type SignatureRule = NonNullable<WebhookTrigger['signature']>
