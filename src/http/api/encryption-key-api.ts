import { z } from '@hono/zod-openapi'
import {
  RE_ENCRYPT_DEFAULT_BATCH,
  RE_ENCRYPT_MAX_BATCH,
  keyStatus,
  reEncryptBatch,
} from '../../credentials/re-encrypt'
import { apiRoute, apiRouter, errorResponse, jsonBody, jsonResponse } from './api-router'

/**
 * The encryption key's rotation (SECURITY.md "Rotating the encryption key"; `npm run rotate-key`
 * drives it): which key slots are set, how many credentials each key wrote, and re-encryption of
 * the rows on older keys under the current one. Only slot names and key ids are shown, which
 * are public fingerprints: never a key.
 */
export const encryptionKeyApi = apiRouter()

const slotSchema = z.object({
  slot: z.string().meta({ example: 'ENCRYPTION_KEY_2' }),
  keyId: z.string().meta({ description: 'a public fingerprint of the key (not the key)' }),
})

const countSchema = z.object({
  keyId: z.string(),
  slot: z.string().nullable().describe('null: no key set on this Worker has this id'),
  count: z.number().int(),
})

const statusSchema = z
  .object({
    current: slotSchema.describe('the key new credentials are encrypted with: the highest slot'),
    keys: z.array(slotSchema).describe('every key slot set on this Worker, newest first'),
    credentials: z.array(countSchema).describe('how many credentials each key wrote'),
    resumingRuns: z
      .array(countSchema)
      .describe(
        'how many unfinished runs make their resume URLs with each key: a key stays until ' +
          'its runs end, since their links are out already',
      ),
  })
  .meta({ id: 'EncryptionKeyStatus' })

const keyMissing = errorResponse('No ENCRYPTION_KEY is set (ENCRYPTION_KEY_MISSING)')

const status = apiRoute({
  method: 'get',
  path: '/',
  summary: 'Which encryption keys are set, and how many credentials each key wrote',
  responses: { 200: jsonResponse('The key slots', statusSchema), 503: keyMissing },
})
encryptionKeyApi.openapi(status, async (c) => c.json(await keyStatus(c.env.DB, c.env), 200))

const reEncryptSchema = z
  .object({
    after: z
      .string()
      .max(100)
      .optional()
      .describe("start after this credential name: the previous answer's `next`"),
    limit: z
      .number()
      .int()
      .min(1)
      .max(RE_ENCRYPT_MAX_BATCH)
      .optional()
      .describe(`credentials per call (default ${RE_ENCRYPT_DEFAULT_BATCH})`),
  })
  .strict()
  .meta({ id: 'ReEncryptRequest' })

const reEncrypt = apiRoute({
  method: 'post',
  path: '/re-encrypt',
  summary: 'Re-encrypt credentials written under an older key with the current key',
  description:
    "One batch, in name order: call again with `after` set to the answer's `next` until `next` is " +
    'null. Each credential is rewritten atomically, and only if unchanged since it was read; ones ' +
    'already on the current key are skipped, so calling again is safe. A credential whose key ' +
    'this Worker does not have is listed in `failed` with that key id. Once `remaining` is 0, ' +
    'the older key slots can be deleted.',
  request: { body: jsonBody(reEncryptSchema, { optional: true }) },
  responses: {
    200: jsonResponse(
      'The batch done',
      z
        .object({
          current: slotSchema,
          reEncrypted: z.number().int(),
          failed: z.array(
            z.object({
              name: z.string(),
              keyId: z.string(),
              code: z.string(),
              message: z.string(),
            }),
          ),
          next: z.string().nullable().describe('pass as `after` for the next batch; null: done'),
          remaining: z
            .number()
            .int()
            .describe('credentials on any key other than the current one, after this batch'),
        })
        .meta({ id: 'ReEncryptResult' }),
    ),
    503: keyMissing,
  },
})
encryptionKeyApi.openapi(reEncrypt, async (c) => {
  const { after, limit } = c.req.valid('json')
  return c.json(await reEncryptBatch(c.env.DB, c.env, { after, limit }), 200)
})
