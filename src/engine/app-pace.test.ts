import { describe, expect, it } from 'vitest'
import { SERVICES } from '../generated/service-registry'
import { fakeApp } from '../../test/apps'
import { createCredential } from '../../test/credentials'
import { admin, createWorkflow, postAndWait, postWebhook, waitForRun } from '../../test/helpers'
import { pacer } from './pace'

// Issue 19 item 10: app nodes retry rate limits and transient failures by default, never final
// errors, and a forEach keeps the app's documented pace (or the node's own rateLimit).

async function discordWebhook() {
  const discord = fakeApp('discord')
  const credential = await createCredential('discord-webhook', {
    url: discord.url('/api/webhooks/112233/tok-abc'),
  })
  return { discord, credential }
}

const rateLimited = {
  status: 429,
  // Discord's 429: Retry-After and retry_after in seconds, and its X-RateLimit headers
  // (https://discord.com/developers/docs/topics/rate-limits#exceeding-a-rate-limit).
  headers: { 'retry-after': '0.05', 'x-ratelimit-scope': 'user' },
  body: { message: 'You are being rate limited.', retry_after: 0.05, global: false },
}
const created = {
  status: 200,
  body: { id: '1', channel_id: '2', timestamp: '2026-01-01T00:00:00Z' },
}

describe('app nodes retry by default', () => {
  it('retries a 429 after the wait the app asks for, without a retry setting', async () => {
    const { discord, credential } = await discordWebhook()
    await discord.program([
      { path: '/api/webhooks/112233/tok-abc', responses: [rateLimited, rateLimited, created] },
    ])
    const workflow = await createWorkflow({
      name: 'discord without retry',
      nodes: [{ id: 'tell', type: 'discord-message', config: { credential, content: 'hi' } }],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempts).toBe(3)
    expect((await discord.received()).requests).toHaveLength(3)
  })

  it('retries a transient 5xx, but never a final error', async () => {
    const { discord, credential } = await discordWebhook()
    await discord.program([
      {
        path: '/api/webhooks/112233/tok-abc',
        responses: [
          { status: 502, body: { message: 'Bad Gateway' } },
          { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } },
        ],
      },
    ])
    const workflow = await createWorkflow({
      name: 'discord final error',
      nodes: [{ id: 'tell', type: 'discord-message', config: { credential, content: 'hi' } }],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.attempts).toBe(2)
    expect(run.steps[0]!.error!.message).toContain('Cannot send an empty message')
    expect((await discord.received()).requests).toHaveLength(2)
  })

  it('does not retry a 429 that asks for a longer wait than the default allows', async () => {
    const { discord, credential } = await discordWebhook()
    await discord.program([
      {
        path: '/api/webhooks/112233/tok-abc',
        responses: [
          {
            ...rateLimited,
            headers: { 'retry-after': '3600' },
            body: { ...rateLimited.body, retry_after: 3600 },
          },
        ],
      },
    ])
    const workflow = await createWorkflow({
      name: 'discord long wait',
      nodes: [{ id: 'tell', type: 'discord-message', config: { credential, content: 'hi' } }],
    })
    const run = await postAndWait(workflow, {})
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.attempts).toBe(1)
  })
})

describe('pacing a forEach (rateLimit)', () => {
  it("declares each app's documented pace", () => {
    expect(SERVICES.notion.rateLimit).toEqual({ calls: 3, intervalMs: 1000 })
    expect(SERVICES.discord.rateLimit).toEqual({ calls: 5, intervalMs: 2000 })
    expect(SERVICES.google.rateLimit).toEqual({ calls: 60, intervalMs: 60_000 })
    expect(SERVICES.slack.rateLimit).toEqual({ calls: 1, intervalMs: 1000 })
    expect(SERVICES.telegram.rateLimit).toEqual({ calls: 1, intervalMs: 1000 })
  })

  it('spaces starts evenly: no window of intervalMs holds more than calls', () => {
    const pace = pacer({ calls: 3, intervalMs: 1000 })
    expect(pace.waitMs(0)).toBe(0)
    pace.started(0)
    expect(pace.waitMs(100)).toBe(234)
    pace.started(334)
    expect(pace.waitMs(1000)).toBe(0)
    expect(pacer(undefined).waitMs(5)).toBe(0)
  })

  it('refuses rateLimit on a node that calls no app, naming the field', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      json: {
        name: 'pure pace',
        nodes: [
          {
            id: 'shape',
            type: 'transform',
            config: { expression: '1' },
            rateLimit: { calls: 1, intervalMs: 10 },
          },
        ],
      },
    })
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { details: { path: string }[] } }
    expect(error.details.map((d) => d.path)).toContain('nodes.0.rateLimit')
  })

  it('keeps the pace where running flat out would meet 429s', async () => {
    const notion = fakeApp('notion')
    // Notion's rule at 5 a second with a burst of 2: slower than the engine runs elements, so
    // without pacing the third element in the same second meets a 429.
    await fetch(`${notion.base}/__program`, {
      method: 'POST',
      body: JSON.stringify({ routes: [], rate: { perSecond: 5, burst: 2 } }),
    })
    const credential = await createCredential(
      'notion',
      { token: 'ntn_slow' },
      { baseUrl: notion.base },
    )
    const workflow = await createWorkflow({
      name: 'notion paced',
      nodes: [
        {
          id: 'pages',
          type: 'notion-create-page',
          forEach: '{{ input.items }}',
          rateLimit: { calls: 4, intervalMs: 1000 },
          config: {
            credential,
            dataSourceId: 'slow-tasks',
            properties: { Name: 'Item {{ item }}' },
          },
        },
      ],
    })
    const accepted = (await (
      await postWebhook(workflow, { items: [...Array(16).keys()] })
    ).json()) as {
      runId: string
    }
    const run = await waitForRun(accepted.runId, 60_000)
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempts).toBe(16)
    const { requests, effects } = await notion.received()
    expect(requests.length).toBe(effects.length)
  })

  it('runs a 500-element forEach to Notion without one 429', async () => {
    const notion = fakeApp('notion')
    // The fake keeps Notion's rule (a bucket of 10, refilled at a steady rate, 429 rate_limited
    // beyond it) at 100 a second rather than 3, and the node keeps 80 a second: the same test as
    // Notion's own pace, in 6 s rather than 3 minutes.
    await fetch(`${notion.base}/__program`, {
      method: 'POST',
      body: JSON.stringify({ routes: [], rate: { perSecond: 100, burst: 10 } }),
    })
    const credential = await createCredential(
      'notion',
      { token: 'ntn_pace' },
      { baseUrl: notion.base },
    )
    const items = Array.from({ length: 500 }, (_, i) => i)
    const workflow = await createWorkflow({
      name: 'notion forEach',
      nodes: [
        {
          id: 'pages',
          type: 'notion-create-page',
          forEach: '{{ input.items }}',
          forEachLimit: 500,
          rateLimit: { calls: 4, intervalMs: 50 },
          config: {
            credential,
            dataSourceId: 'paced-tasks',
            properties: { Name: 'Item {{ item }}', Count: '{{ item }}' },
          },
        },
      ],
    })
    const accepted = (await (await postWebhook(workflow, { items })).json()) as { runId: string }
    const run = await waitForRun(accepted.runId, 120_000)
    expect(run.error).toBeNull()
    expect(run.status).toBe('succeeded')
    expect(run.steps[0]!.attempts).toBe(500)
    const { requests, effects } = await notion.received()
    // Every call was answered, none with a 429: one schema read and 500 pages.
    expect(requests.length).toBe(effects.length)
    expect(effects.filter((e) => e.path === '/v1/pages')).toHaveLength(500)
  })
})
