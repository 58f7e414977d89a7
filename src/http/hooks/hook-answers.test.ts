import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForRun } from '../../../test/helpers'

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}

// Issue 20, item 3: a sync webhook answers what its run's respond step set. A repeated delivery
// id may be someone else's (a second sender with the same e-mail, a guessed Idempotency-Key):
// it gets the first run's id and status, never that run's answer.
describe('respond: sync, a repeated delivery', () => {
  const resetCode = {
    name: 'password reset',
    nodes: [
      {
        id: 'answer',
        type: 'respond',
        config: {
          body: { code: 'RESET-{{ input.email }}-8841', note: 'private to {{ input.email }}' },
        },
      },
    ],
  }

  it('by a dedupe path gets the first run id and status, not its body', async () => {
    const workflow = await createWorkflow({
      ...resetCode,
      trigger: { type: 'webhook', respond: 'sync', dedupe: { path: 'email' } },
    })
    const first = await postWebhook(workflow, { email: 'ada@example.com', from: 'ada' })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({
      code: 'RESET-ada@example.com-8841',
      note: 'private to ada@example.com',
    })
    const runId = first.headers.get('x-run-id')!

    const second = await postWebhook(workflow, { email: 'ada@example.com', from: 'eve' })
    expect(second.status).toBe(200)
    const text = await second.text()
    expect(text).not.toContain('RESET')
    expect(JSON.parse(text)).toEqual({
      runId,
      statusUrl: expect.stringMatching(new RegExp(`/api/runs/${runId}$`)),
      duplicate: true,
      status: expect.stringMatching(/^(queued|running|succeeded)$/),
    })
    expect(await runCount(workflow.id)).toBe(1)
  })

  it('by an Idempotency-Key gets the same', async () => {
    const workflow = await createWorkflow({
      ...resetCode,
      trigger: { type: 'webhook', respond: 'sync' },
    })
    const key = { 'idempotency-key': 'guessable-1' }
    const first = await postWebhook(workflow, { email: 'bob@example.com' }, key)
    expect(await first.json()).toMatchObject({ code: 'RESET-bob@example.com-8841' })
    await waitForRun(first.headers.get('x-run-id')!)
    const guessed = await postWebhook(workflow, { email: 'eve@example.com' }, key)
    const body = await guessed.text()
    expect(body).not.toContain('RESET')
    expect(JSON.parse(body)).toMatchObject({ duplicate: true, status: 'succeeded' })
  })
})

// Issue 20, item 8: a GET webhook's query is the run input; credential-like names are redacted
// there as they are in trigger.query.
describe('GET webhooks', () => {
  it('redacts token-like query values in the run input too', async () => {
    const workflow = await createWorkflow({
      name: 'get hook',
      trigger: { type: 'webhook', methods: ['GET'] },
      nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    })
    const response = await SELF.fetch(
      `${workflow.webhookUrl}?email=ada%40example.com&token=tok-7781&api_key=key-9912&tag=a&tag=b`,
    )
    expect(response.status).toBe(202)
    const run = await waitForRun(((await response.json()) as { runId: string }).runId)
    expect(run.input).toEqual({
      email: 'ada@example.com',
      token: '[redacted]',
      api_key: '[redacted]',
      tag: ['a', 'b'],
    })
    expect(run.trigger).toMatchObject({ query: { token: '[redacted]', api_key: '[redacted]' } })
    expect(JSON.stringify(run)).not.toMatch(/tok-7781|key-9912/)
  })
})

// Issue 20, item 9: a respond step sets only the documented headers (README "Respond to the
// caller"); ours stay, and the answer may not be framed.
describe('respond headers', () => {
  const respondWith = (headers: Record<string, string>) => ({
    name: 'answer',
    trigger: { type: 'webhook', respond: 'sync' },
    nodes: [{ id: 'answer', type: 'respond', config: { body: '<p>thanks</p>', headers } }],
  })

  it('refuses at save a header outside the allow-list, naming it', async () => {
    for (const name of [
      'X-Frame-Options',
      'Clear-Site-Data',
      'Access-Control-Allow-Origin',
      'Content-Security-Policy',
      'Strict-Transport-Security',
      'Set-Cookie',
      'X-Run-Id',
    ]) {
      const response = await admin('/api/workflows', {
        method: 'POST',
        json: respondWith({ [name]: 'ALLOWALL' }),
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as {
        error: { details: { path: string; message: string }[] }
      }
      expect(body.error.details).toContainEqual({
        path: `nodes.0.config.headers.${name}`,
        message: expect.stringContaining(`${name} cannot be set by respond; allowed: content-type`),
      })
    }
  })

  it('keeps our security headers and adds frame-ancestors to the CSP', async () => {
    const workflow = await createWorkflow(
      respondWith({ 'content-type': 'text/html', 'cache-control': 'no-store', 'x-form': 'ok' }),
    )
    const response = await postWebhook(workflow, {})
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('<p>thanks</p>')
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'text/html',
      'cache-control': 'no-store',
      'x-form': 'ok',
      'content-security-policy': "sandbox; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('a definition stored before the rule fails its respond step, saying why, and sets nothing', async () => {
    // Names are literal keys, checked at save; one stored before the rule is checked when it runs.
    const workflow = await createWorkflow(respondWith({ 'x-note': '{{ input.note }}' }))
    await env.DB.prepare(
      `UPDATE workflow_versions SET definition = replace(definition, '"x-note"', '"Clear-Site-Data"')
       WHERE workflow_id = ?`,
    )
      .bind(workflow.id)
      .run()
    const response = await postWebhook(workflow, { note: '"*"' })
    expect(response.status).toBe(500)
    expect(response.headers.get('clear-site-data')).toBeNull()
    const run = await waitForRun(response.headers.get('x-run-id')!)
    expect(run.steps[0]!.error!.message).toMatch(/Clear-Site-Data cannot be set by respond/)
  })
})
