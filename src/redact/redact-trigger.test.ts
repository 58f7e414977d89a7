import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkflow, getRun } from '../../test/helpers'
import { REDACTED, isSecretName } from './redact'

describe('trigger redaction', () => {
  it('names a secret by pattern', () => {
    for (const name of [
      'authorization',
      'x-gitlab-token',
      'x-telegram-bot-api-secret-token',
      'api-key',
      'x-hub-signature-256',
      'cookie',
      'password',
      'access_token',
      'X-Shopify-Hmac-Sha256-Signature',
    ])
      expect(isSecretName(name), name).toBe(true)
    for (const name of ['content-type', 'user-agent', 'x-github-event', 'page', 'email'])
      expect(isSecretName(name), name).toBe(false)
  })

  it('keeps no secret header or query value in runs.trigger, nor on the API', async () => {
    const workflow = await createWorkflow({
      name: 'redact',
      nodes: [{ id: 'a', type: 'transform', config: { expression: '{"ok": true}' } }],
    })
    const secrets = [
      'gl-9f8e7d',
      'tg-secret-42',
      'apikey-777',
      'cookie-val-1',
      'qs-token-5',
      'pw-6',
    ]
    const response = await SELF.fetch(
      `${workflow.webhookUrl}?token=qs-token-5&password=pw-6&page=2`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gitlab-token': 'gl-9f8e7d',
          'x-telegram-bot-api-secret-token': 'tg-secret-42',
          'api-key': 'apikey-777',
          cookie: 'session=cookie-val-1',
          'x-gitlab-event': 'Push Hook',
        },
        body: '{}',
      },
    )
    expect(response.status).toBe(202)
    const { runId } = (await response.json()) as { runId: string }
    const run = await getRun(runId)
    const trigger = run.trigger as {
      headers: Record<string, string>
      query: Record<string, string>
    }
    expect(trigger.query).toEqual({ token: REDACTED, password: REDACTED, page: '2' })
    expect(trigger.headers['x-gitlab-token']).toBe(REDACTED)
    expect(trigger.headers['x-gitlab-event']).toBe('Push Hook')
    const row = await env.DB.prepare('SELECT trigger FROM runs WHERE id = ?').bind(runId).first<{
      trigger: string
    }>()
    const shown = JSON.stringify(run) + (row?.trigger ?? '')
    for (const secret of secrets) expect(shown, secret).not.toContain(secret)
  })
})
