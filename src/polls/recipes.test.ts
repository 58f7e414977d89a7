import { describe, expect, it } from 'vitest'
import googleSheetsAppend from '../../nodes/google-sheets-append'
import { fakeApp, runNode } from '../../test/apps'
import { createCredential } from '../../test/credentials'
import { serviceAccount } from '../../test/google-account'
import { admin, createWorkflow, fakeUpstream, waitForRun } from '../../test/helpers'
import type { PollReport } from './poll-workflow'

// The three poll recipes of README "Polling", end to end: as written there, with the test's
// credential names and fake apps. Each polls once for the baseline, the app's data changes, and
// the next poll's runs send what the recipe promises.

async function poll(workflowId: string) {
  const response = await admin(`/api/workflows/${workflowId}/poll`, { method: 'POST' })
  expect(response.status).toBe(200)
  const report = (await response.json()) as PollReport
  const runs = await Promise.all(report.started.map((s) => waitForRun(s.runId)))
  expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'succeeded'))
  return { report, runs }
}

describe('README poll recipes', () => {
  it('new Google Sheets row → Discord message', async () => {
    const { credential: sheet } = await serviceAccount()
    const discord = fakeApp('discord')
    const team = await createCredential('discord-webhook', {
      url: discord.url('/api/webhooks/1/recipe'),
    })
    const spreadsheetId = `with-header-${crypto.randomUUID().slice(0, 8)}`
    const workflow = await createWorkflow({
      name: 'New sign-up row to Discord',
      trigger: {
        type: 'poll',
        source: 'google-sheets-new-rows',
        every: '1m',
        config: { credential: sheet, spreadsheetId, range: 'Sheet1' },
      },
      nodes: [
        {
          id: 'announce',
          type: 'discord-message',
          config: {
            credential: team,
            content: 'New sign-up: {{ input.Name }} <{{ input.Email }}> on {{ input.Plan }}',
          },
        },
      ],
    })
    await poll(workflow.id)
    await runNode(googleSheetsAppend, {
      credential: sheet,
      spreadsheetId,
      range: 'Sheet1',
      values: [
        { Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' },
        { Name: 'Bob', Email: 'bob@example.com', Plan: 'free' },
      ],
    })
    await poll(workflow.id)
    await poll(workflow.id)
    const sent = (await discord.received()).requests.map(
      (r) => (r.body as { content: string }).content,
    )
    expect(sent).toEqual([
      'New sign-up: Ada <ada@example.com> on pro',
      'New sign-up: Bob <bob@example.com> on free',
    ])
  })

  it('Notion page moved to Done → Slack message', async () => {
    const notion = fakeApp('notion')
    const slack = fakeApp('slack')
    const notionCredential = await createCredential(
      'notion',
      { token: 'ntn_recipe' },
      { baseUrl: notion.base },
    )
    const slackCredential = await createCredential('slack-webhook', {
      url: slack.url('/services/T0001/B0002/done'),
    })
    const dataSourceId = crypto.randomUUID()
    const workflow = await createWorkflow({
      name: 'Done in Notion to Slack',
      trigger: {
        type: 'poll',
        source: 'notion-changed-pages',
        every: '2m',
        config: {
          credential: notionCredential,
          dataSourceId,
          filter: { property: 'Status', status: { equals: 'Done' } },
        },
      },
      nodes: [
        {
          id: 'once',
          type: 'dedupe',
          config: { key: 'done:{{ input.id }}', windowSeconds: 31536000 },
        },
        {
          id: 'tell',
          type: 'slack-message',
          config: {
            credential: slackCredential,
            text: 'Done: <{{ run.input.url }}|{{ run.input.properties.Name }}>',
          },
        },
      ],
    })
    await poll(workflow.id)
    const page = await fetch(notion.url('/v1/pages'), {
      method: 'POST',
      headers: { authorization: 'Bearer ntn_recipe', 'notion-version': '2025-09-03' },
      body: JSON.stringify({
        parent: { data_source_id: dataSourceId },
        properties: {
          Name: { title: [{ text: { content: 'Launch' } }] },
          Status: { status: { name: 'Done' } },
        },
      }),
    })
    const { id, url } = (await page.json()) as { id: string; url: string }
    const { runs } = await poll(workflow.id)
    expect(runs).toHaveLength(1)
    const texts = (await slack.received()).requests.map((r) => (r.body as { text: string }).text)
    expect(texts).toEqual([`Done: <${url}|Launch>`])
    expect(url).toContain(id.replace(/-/g, ''))
  })

  it('poll an API for new orders, notify once per customer per day', async () => {
    const shop = fakeUpstream()
    const slack = fakeApp('slack')
    const shopApi = await createCredential(
      'http-bearer',
      { token: 'shop-token' },
      {
        baseUrl: shop.url('/api'),
      },
    )
    const team = await createCredential('slack-webhook', {
      url: slack.url('/services/T0001/B0002/orders'),
    })
    const serve = (orders: unknown[]) =>
      shop.program([{ method: 'GET', path: '/api/v1/orders', responses: [{ body: { orders } }] }])
    const order = (id: number, customer: string, total: string) => ({
      id,
      total,
      customer: { id: customer, name: customer === 'c1' ? 'Ada' : 'Grace' },
    })
    await serve([order(1, 'c1', '10 EUR')])
    const workflow = await createWorkflow({
      name: 'New orders, once per customer per day',
      trigger: {
        type: 'poll',
        source: 'http-poll',
        every: '5m',
        config: {
          url: '/v1/orders',
          credential: shopApi,
          items: 'orders',
          id: 'id',
          cursor: { param: 'since_id', from: 'id' },
        },
      },
      nodes: [
        {
          id: 'once',
          type: 'dedupe',
          config: {
            key: 'notified:{{ input.customer.id }}:{{ $substring($now(), 0, 10) }}',
            windowSeconds: 86400,
          },
        },
        {
          id: 'notify',
          type: 'slack-message',
          config: {
            credential: team,
            text: '{{ run.input.customer.name }} ordered ({{ run.input.total }})',
          },
        },
      ],
    })
    await poll(workflow.id)
    await serve([order(2, 'c1', '20 EUR'), order(3, 'c2', '30 EUR'), order(4, 'c1', '40 EUR')])
    const { report, runs } = await poll(workflow.id)
    expect(report.started.map((s) => s.itemId)).toEqual(['2', '3', '4'])
    // One of Ada's two orders of the day ends at the dedupe (the runs go side by side, so
    // either may be first); Grace's goes through.
    const skipped = runs.filter((run) => run.steps[1]!.status === 'skipped')
    expect(skipped).toHaveLength(1)
    expect(['2', '4']).toContain(report.started.find((s) => s.runId === skipped[0]!.id)!.itemId)
    const texts = (await slack.received()).requests.map((r) => (r.body as { text: string }).text)
    expect(texts.sort()).toEqual([
      expect.stringMatching(/^Ada ordered \((20|40) EUR\)$/),
      'Grace ordered (30 EUR)',
    ])
    const asked = (await shop.received()).requests.map((r) => [
      r.path,
      r.query,
      r.headers.authorization,
    ])
    expect(asked).toEqual([
      ['/api/v1/orders', {}, 'Bearer shop-token'],
      ['/api/v1/orders', { since_id: '1' }, 'Bearer shop-token'],
    ])
  })
})
