import { describe, expect, it } from 'vitest'
import { secretWarnings } from './secret-warnings'

const node = (config: Record<string, unknown>, type = 'http-request') => ({
  id: 'n',
  type,
  config,
})
const pathsOf = (...configs: Record<string, unknown>[]) =>
  secretWarnings({ nodes: configs.map((config) => node(config)) as never }).map((w) => w.path)

describe('secretWarnings', () => {
  it.each([
    [
      'a literal bearer token',
      { body: { note: 'use Bearer abcdef0123456789' } },
      'nodes.0.config.body.note',
    ],
    [
      'a Slack webhook URL',
      { url: 'https://hooks.slack.com/services/T0001/B0002/XXXXsecret' },
      'nodes.0.config.url',
    ],
    [
      'a Discord webhook URL',
      { url: 'https://discord.com/api/webhooks/1122334455/tok_EN-abc' },
      'nodes.0.config.url',
    ],
    [
      'a Telegram bot URL',
      { url: 'https://api.telegram.org/bot123456:AAE-xyz_42/sendMessage' },
      'nodes.0.config.url',
    ],
    ['an sk- key', { body: { key: 'sk-proj-abcdefghijklmnop1234' } }, 'nodes.0.config.body.key'],
    ['an xoxb- token', { body: ['x', 'xoxb-1234-5678-abcdefgh'] }, 'nodes.0.config.body.1'],
    ['an xoxp- token', { body: 'xoxp-1234-5678-abcdefgh' }, 'nodes.0.config.body'],
    ['a ghp_ token', { body: 'ghp_abcdefghijklmnopqrstuvwxyz' }, 'nodes.0.config.body'],
    ['an AutomateOS API token', { body: `aos_${'Ab3-_'.repeat(9)}` }, 'nodes.0.config.body'],
    [
      'a github_pat_ token',
      { body: 'github_pat_11ABCDEFG0123456789_abcdefgh' },
      'nodes.0.config.body',
    ],
    [
      'a literal Authorization header',
      { headers: { Authorization: 'Basic YWRhOnB3' } },
      'nodes.0.config.headers.Authorization',
    ],
    [
      'a literal X-Api-Key header',
      { headers: { 'X-Api-Key': 'k-123' } },
      'nodes.0.config.headers.X-Api-Key',
    ],
  ])('flags %s', (_what, config, path) => {
    const [warning, ...more] = secretWarnings({ nodes: [node(config)] as never })
    expect(more).toEqual([])
    expect(warning).toMatchObject({ path, code: 'SECRET_IN_CONFIG' })
    expect(warning!.message).toContain('store it as a credential')
  })

  it('names the node by its index and the field by its path', () => {
    const warnings = secretWarnings({
      nodes: [
        node({ expression: '$' }, 'transform'),
        node({ url: 'https://api.example.com' }),
        node({
          url: 'https://api.example.com',
          headers: { Authorization: 'Bearer abcdef0123456789' },
        }),
      ] as never,
    })
    expect(warnings).toEqual([
      {
        path: 'nodes.2.config.headers.Authorization',
        code: 'SECRET_IN_CONFIG',
        message:
          'nodes.2.config.headers.Authorization holds what looks like a secret written as the ' +
          'Authorization header. It is saved in every version of this workflow and shown by the ' +
          'API and the admin page: store it as a credential (an http-bearer or http-header ' +
          'credential, POST /api/credentials) and name it in config.credential.',
      },
    ])
  })

  it('does not flag templates, names or harmless look-alikes', () => {
    expect(
      pathsOf(
        { headers: { Authorization: 'Bearer {{ steps.login.output.token }}' } },
        { headers: { Authorization: '{{ input.auth }}', 'Idempotency-Key': 'order-1' } },
        { url: 'https://hooks.slack.com/services/{{ input.path }}' },
        { url: 'https://api.example.com/bot/status', body: 'Bearer of good news' },
        { credential: 'team-slack', body: { skip: 'sk-short', task: 'ask-me-anything-later' } },
        { query: { token: '{{ input.token }}' }, body: 'the token is in a credential' },
      ),
    ).toEqual([])
  })

  it("looks at a schedule's fixed input too", () => {
    const warnings = secretWarnings({
      trigger: {
        type: 'schedule',
        cron: '0 9 * * *',
        input: { apiKey: 'sk-abcdefghijklmnop1234' },
      },
      nodes: [node({ url: 'https://api.example.com' })],
    } as never)
    expect(warnings.map((w) => w.path)).toEqual(['trigger.input.apiKey'])
  })

  it('flags the literal part of a string that also holds a template', () => {
    expect(
      pathsOf({ url: 'https://hooks.slack.com/services/T0001/B0002/XXXXsecret?x={{ input.x }}' }),
    ).toEqual(['nodes.0.config.url'])
  })
})
