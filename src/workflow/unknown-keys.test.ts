import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { admin } from '../../test/helpers'
import { nearest } from '../lib/nearest-name'
import { unknownKeyMessage, unknownKeys } from './unknown-keys'

type ErrorBody = {
  error: { code: string; message: string; details?: { path: string; message: string }[] }
}

describe('unknownKeys', () => {
  const schema = z
    .object({
      username: z.string().optional(),
      mentions: z.object({ parse: z.array(z.string()).default([]) }).default({ parse: [] }),
      rows: z.array(z.object({ name: z.string() })).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      loose: z.looseObject({ a: z.string() }).optional(),
      either: z.union([z.string(), z.object({ left: z.string() })]).optional(),
      piped: z
        .object({ inner: z.string() })
        .transform((v) => v.inner)
        .optional(),
    })
    .refine(() => true)

  it('finds keys the schema does not know, at any depth, with the nearest known one', () => {
    const found = unknownKeys(schema, {
      usename: 'bot',
      mentions: { pars: [] },
      rows: [{ name: 'a' }, { nme: 'b' }],
      either: { lef: 'x' },
      piped: { iner: 'x' },
      whatever: 1,
    })
    expect(found.map((f) => [f.path.join('.'), f.suggestion])).toEqual([
      ['usename', 'username'],
      ['mentions.pars', 'parse'],
      ['rows.1.nme', 'name'],
      ['either.lef', 'left'],
      ['piped.iner', 'inner'],
      ['whatever', undefined],
    ])
    expect(unknownKeyMessage(found[0]!)).toBe("unknown key 'usename' (did you mean 'username'?)")
    expect(unknownKeyMessage(found[5]!)).toBe(
      "unknown key 'whatever' (known keys: username, mentions, rows, headers, loose, either, piped)",
    )
  })

  it('leaves records, loose objects, templated values and matching union options alone', () => {
    expect(
      unknownKeys(schema, {
        headers: { 'X-Anything': 'x' },
        loose: { a: 'x', extra: 1 },
        mentions: '{{ input.mentions }}',
        either: 'text',
      }),
    ).toEqual([])
  })

  it('suggests only a name close enough to be a typo, ignoring case', () => {
    expect(nearest('usename', ['username', 'avatarUrl'])).toBe('username')
    expect(nearest('URL', ['url', 'method'])).toBe('url')
    expect(nearest('max_tokens', ['maxTokens', 'model'])).toBe('maxTokens')
    expect(nearest('colour', ['content', 'embeds'])).toBeUndefined()
  })
})

describe('saving a workflow with an unknown config key', () => {
  it('is a 400 naming the key and the nearest known one', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'Typo',
        nodes: [
          {
            id: 'notify',
            type: 'discord-message',
            config: {
              credential: 'team-discord',
              content: 'hi',
              usename: 'Signup bot',
              allowedMentions: { parse: [], user: ['1'] },
            },
          },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as ErrorBody
    expect(error.code).toBe('VALIDATION_FAILED')
    expect(error.details).toEqual([
      {
        path: 'nodes.0.config.usename',
        message: "unknown key 'usename' (did you mean 'username'?)",
      },
      {
        path: 'nodes.0.config.allowedMentions.user',
        message: "unknown key 'user' (did you mean 'users'?)",
      },
    ])
  })
})
