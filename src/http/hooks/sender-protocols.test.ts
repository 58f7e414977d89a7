import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, waitForAccepted } from '../../../test/helpers'
import { captureConsole, everyD1Row, leaksOf } from '../../../test/secret-search'
import { hmacHex, nowSeconds } from '../../../test/signing'

const echo = [{ id: 'echo', type: 'transform', config: { expression: '$' } }]

async function runCount(workflowId: string) {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM runs WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ n: number }>()
  return row!.n
}

async function secretCredential(secret: string) {
  const name = `hook-${crypto.randomUUID().slice(0, 8)}`
  const created = await admin('/api/credentials', {
    method: 'POST',
    json: { name, type: 'webhook-secret', data: { secret } },
  })
  expect(created.status).toBe(201)
  return name
}

const post = (url: string, body: string, headers: Record<string, string>) =>
  SELF.fetch(url, { method: 'POST', headers, body })

// Issue 19, item 6. docs.github.com/en/webhooks/using-webhooks/creating-webhooks: a new webhook's
// content type defaults to application/x-www-form-urlencoded, which sends the JSON as the
// `payload` form field (docs.github.com/en/webhooks/webhook-events-and-payloads); the signature
// covers the raw body as sent (validating-webhook-deliveries). GitHub sends `ping` when a hook is
// created, with X-GitHub-Event: ping and a `zen`, `hook_id` and `hook` payload.
describe('GitHub deliveries', () => {
  async function githubFlow() {
    const secret = `gh-${crypto.randomUUID()}`
    const name = await secretCredential(secret)
    const workflow = await createWorkflow({
      name: 'github',
      trigger: { type: 'webhook', signature: { preset: 'github', secret: name } },
      nodes: echo,
    })
    const send = async (event: string, json: unknown, form = true) => {
      const text = JSON.stringify(json)
      const body = form ? new URLSearchParams({ payload: text }).toString() : text
      return post(workflow.webhookUrl, body, {
        'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
        'x-github-event': event,
        'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}`,
      })
    }
    return { workflow, send, secret }
  }

  const push = {
    ref: 'refs/heads/main',
    repository: { id: 1296269, full_name: 'octocat/Hello-World' },
    pusher: { name: 'octocat' },
  }

  it('reads the default form content type: the run input is the JSON in `payload`', async () => {
    const { workflow, send } = await githubFlow()
    const run = await waitForAccepted(await send('push', push))
    expect(run.input).toEqual(push)
    expect(run.trigger).toMatchObject({ contentType: 'application/x-www-form-urlencoded' })
    // application/json, the other content type GitHub offers, is as before.
    expect((await waitForAccepted(await send('push', push, false))).input).toEqual(push)
    expect(await runCount(workflow.id)).toBe(2)
  })

  it('keeps an id beyond 2^53 in the form payload exact, as the JSON body path does', async () => {
    const { workflow, secret } = await githubFlow()
    // A 64-bit id as GitHub writes it, a number: JSON.parse alone would round it to …154500.
    const text = '{"action":"opened","issue":{"id":820982911946154508,"number":7}}'
    const body = new URLSearchParams({ payload: text }).toString()
    const answer = await post(workflow.webhookUrl, body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'issues',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}`,
    })
    const run = await waitForAccepted(answer)
    expect(run.input).toEqual({
      action: 'opened',
      issue: { id: '820982911946154508', number: 7 },
    })
    const stored = await env.DB.prepare('SELECT input FROM runs WHERE id = ?')
      .bind(run.id)
      .first<string>('input')
    expect(stored).toContain('"id":"820982911946154508"')
  })

  it('answers ping with 200 and starts no run; an unsigned ping is refused', async () => {
    const { workflow, send } = await githubFlow()
    const ping = { zen: 'Design for failure.', hook_id: 30, hook: { type: 'Repository' } }
    const answer = await send('ping', ping)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toEqual({ ok: true, event: 'ping' })
    const forged = await post(workflow.webhookUrl, JSON.stringify(ping), {
      'content-type': 'application/json',
      'x-github-event': 'ping',
    })
    expect(forged.status).toBe(401)
    expect(await runCount(workflow.id)).toBe(0)
  })
})

// Issue 19, item 7. api.slack.com/events/url_verification: `{token, challenge, type:
// "url_verification"}`, answered with the challenge after the signature check. api.slack.com/
// apis/events-api: the outer event_callback carries `event_id`; a retry comes with
// X-Slack-Retry-Num and X-Slack-Retry-Reason, signed again with a new timestamp.
describe('Slack Events API', () => {
  async function slackFlow() {
    const secret = `slack-${crypto.randomUUID()}`
    const name = await secretCredential(secret)
    const workflow = await createWorkflow({
      name: 'slack events',
      trigger: { type: 'webhook', signature: { preset: 'slack', secret: name } },
      nodes: echo,
    })
    const send = async (json: unknown, t = nowSeconds(), extra: Record<string, string> = {}) => {
      const body = JSON.stringify(json)
      return post(workflow.webhookUrl, body, {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(t),
        'x-slack-signature': `v0=${await hmacHex(secret, `v0:${t}:${body}`)}`,
        ...extra,
      })
    }
    return { workflow, send }
  }

  it('answers url_verification with the challenge, without a run; a forged one gets 401', async () => {
    const { workflow, send } = await slackFlow()
    const challenge = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'
    const verification = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge, type: 'url_verification' }
    const answer = await send(verification)
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await answer.text()).toBe(challenge)
    const forged = await post(workflow.webhookUrl, JSON.stringify(verification), {
      'content-type': 'application/json',
    })
    expect(forged.status).toBe(401)
    expect(await runCount(workflow.id)).toBe(0)
  })

  it('dedupes on event_id: a retry signed with a new timestamp is the same run', async () => {
    const { workflow, send } = await slackFlow()
    const event = {
      token: 'XXYYZZ',
      team_id: 'T123ABC456',
      api_app_id: 'A123ABC456',
      event: {
        type: 'app_mention',
        user: 'U123ABC456',
        text: '<@U0LAN0Z89> hi',
        ts: '1515449522.000016',
      },
      type: 'event_callback',
      event_id: 'Ev123ABC456',
      event_time: 1515449522,
    }
    const first = await send(event)
    expect(first.status).toBe(202)
    const { runId } = (await first.json()) as { runId: string }
    const retry = await send(event, nowSeconds() + 2, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    })
    expect(retry.status).toBe(200)
    expect(await retry.json()).toMatchObject({ runId, duplicate: true })
    const other = await send({ ...event, event_id: 'Ev999ZZZ999' })
    expect(other.status).toBe(202)
    expect(await runCount(workflow.id)).toBe(2)
  })
})

// Issue 22, item 3. developers.notion.com/reference/webhooks: creating a subscription makes
// Notion POST `{"verification_token": "secret_…"}` once ("Step 2 - Verifying the subscription");
// the user pastes it into Notion; every event then carries X-Notion-Signature = "sha256=" + hex
// HMAC-SHA256 of the raw body keyed by that token ("Step 3 - Validating event payloads").
describe('Notion webhooks', () => {
  const pageEvent = JSON.stringify({
    id: '67890abc-1234-5678-9abc-def012345678',
    timestamp: '2026-04-25T14:30:00.000Z',
    workspace_id: '11111111-2222-3333-4444-555555555555',
    subscription_id: 'abcdef12-3456-7890-abcd-ef1234567890',
    integration_id: '98765432-10ab-cdef-1234-567890abcdef',
    type: 'page.properties_updated',
    entity: { id: 'ffffeeee-dddd-cccc-bbbb-aaaa99998888', type: 'page' },
    data: { updated_properties: ['title', 'status'] },
  })

  it('keeps the verification token without a run, shows it until an event proves it, then signs with it', async () => {
    const name = `notion-${crypto.randomUUID().slice(0, 8)}`
    const workflow = await createWorkflow({
      name: 'notion events',
      trigger: { type: 'webhook', signature: { preset: 'notion', secret: name } },
      nodes: echo,
    })
    const reveal = () => admin(`/api/workflows/${workflow.id}/notion-verification`)
    expect((await reveal()).status).toBe(404)

    const lines = captureConsole()
    const token = `secret_${crypto.randomUUID().replaceAll('-', '')}`
    const handshake = await post(
      workflow.webhookUrl,
      JSON.stringify({ verification_token: token }),
      {
        'content-type': 'application/json',
      },
    )
    expect(handshake.status).toBe(200)
    expect(await handshake.text()).not.toContain(token)
    expect(await runCount(workflow.id)).toBe(0)

    const shown = await reveal()
    expect(shown.status).toBe(200)
    expect(await shown.json()).toEqual({
      credential: name,
      receivedAt: expect.any(String),
      verified: false,
      verificationToken: token,
    })
    // A stored webhook-secret credential, listed without its value.
    const listed = await (await admin('/api/credentials')).text()
    expect(listed).toContain(name)
    expect(listed).not.toContain(token)

    // A second handshake (anyone holding the URL) does not swap the key.
    const swap = await post(
      workflow.webhookUrl,
      JSON.stringify({ verification_token: 'secret_evil' }),
      {
        'content-type': 'application/json',
      },
    )
    expect(swap.status).toBe(200)
    const forged = await post(workflow.webhookUrl, pageEvent, {
      'content-type': 'application/json',
      'x-notion-signature': `sha256=${await hmacHex('secret_evil', pageEvent)}`,
    })
    expect(forged.status).toBe(401)

    const signed = await post(workflow.webhookUrl, pageEvent, {
      'content-type': 'application/json',
      'x-notion-signature': `sha256=${await hmacHex(token, pageEvent)}`,
    })
    const run = await waitForAccepted(signed)
    expect(run.input).toEqual(JSON.parse(pageEvent))
    expect(await runCount(workflow.id)).toBe(1)

    // Notion has proven it holds the token: it is hidden from now on.
    const proven = await (await reveal()).json()
    expect(proven).toEqual({
      credential: name,
      receivedAt: expect.any(String),
      verified: true,
      verifiedAt: expect.any(String),
    })
    // Nowhere in clear: not in any D1 table (the credential is encrypted), not in a log line.
    expect(leaksOf({ ...(await everyD1Row(env.DB)), console: lines.join('\n') }, [token])).toEqual(
      [],
    )
  })

  it('refuses an unsigned event and a token-shaped body on a workflow without the preset', async () => {
    const name = `notion-${crypto.randomUUID().slice(0, 8)}`
    const workflow = await createWorkflow({
      name: 'notion events',
      trigger: { type: 'webhook', signature: { preset: 'notion', secret: name } },
      nodes: echo,
    })
    const unsigned = await post(workflow.webhookUrl, pageEvent, {
      'content-type': 'application/json',
    })
    expect(unsigned.status).toBe(500) // no token received yet: the secret is not set
    expect(await unsigned.json()).toMatchObject({ error: { code: 'SIGNATURE_SECRET_MISSING' } })

    const plain = await createWorkflow({ name: 'plain', nodes: echo })
    const body = JSON.stringify({ verification_token: 'secret_x' })
    const accepted = await post(plain.webhookUrl, body, { 'content-type': 'application/json' })
    expect(accepted.status).toBe(202)
    expect((await admin(`/api/workflows/${plain.id}/notion-verification`)).status).toBe(404)
  })
})
