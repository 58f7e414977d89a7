import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import googleSheetsAppend from '../../nodes/google-sheets-append'
import { fakeApp, runNode } from '../../test/apps'
import { createCredential } from '../../test/credentials'
import { serviceAccount } from '../../test/google-account'
import { admin, createWorkflow, waitForRun } from '../../test/helpers'
import type { PollReport } from './poll-workflow'

// The app polling triggers against their fake APIs, whose data changes between polls: rows
// appended to a sheet, pages created and edited in a Notion data source.

const echo = [{ id: 'echo', type: 'transform', config: { expression: '$' } }]

async function poll(workflowId: string) {
  const response = await admin(`/api/workflows/${workflowId}/poll`, { method: 'POST' })
  expect(response.status).toBe(200)
  return (await response.json()) as PollReport
}

async function inputsOf(report: PollReport) {
  const runs = await Promise.all(report.started.map((s) => waitForRun(s.runId)))
  expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'succeeded'))
  return runs.map((run) => run.output)
}

describe('google-sheets-new-rows', () => {
  it('starts a run per appended row, keyed by the header, and none for rows already there', async () => {
    const { credential, sheets } = await serviceAccount()
    const spreadsheetId = `with-header-${crypto.randomUUID().slice(0, 8)}`
    const append = (values: unknown) =>
      runNode(googleSheetsAppend, { credential, spreadsheetId, range: 'Sheet1', values })
    await append({ Name: 'Ada', Email: 'ada@example.com', Plan: 'pro' })
    const workflow = await createWorkflow({
      name: 'new signups',
      trigger: {
        type: 'poll',
        source: 'google-sheets-new-rows',
        every: '1m',
        config: { credential, spreadsheetId, range: 'Sheet1' },
      },
      nodes: echo,
    })
    expect(await poll(workflow.id)).toMatchObject({ baseline: true, found: 0, started: [] })
    await append([
      { Name: 'Bob', Email: 'bob@example.com', Plan: 'free' },
      { Name: 'Cy', Email: 'cy@example.com', Plan: 'pro' },
    ])
    const second = await poll(workflow.id)
    expect(second.started.map((s) => s.itemId)).toEqual(['3', '4'])
    expect(await inputsOf(second)).toEqual([
      { Name: 'Bob', Email: 'bob@example.com', Plan: 'free' },
      { Name: 'Cy', Email: 'cy@example.com', Plan: 'pro' },
    ])
    expect(await poll(workflow.id)).toMatchObject({ found: 0, started: [] })
    await append({ Name: 'Di', Email: 'di@example.com', Plan: 'team' })
    const third = await poll(workflow.id)
    expect(await inputsOf(third)).toEqual([{ Name: 'Di', Email: 'di@example.com', Plan: 'team' }])
    // Each poll read the whole range once (the append node reads the header row, 1:1).
    const path = `/v4/spreadsheets/${spreadsheetId}/values/Sheet1`
    const reads = (await sheets.received()).requests.filter((r) => r.path === path)
    expect(reads.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET'])
  })

  it('with keyColumn, names each run by its key and follows the last key seen', async () => {
    const { credential } = await serviceAccount()
    const spreadsheetId = `with-header-${crypto.randomUUID().slice(0, 8)}`
    const append = (values: unknown) =>
      runNode(googleSheetsAppend, { credential, spreadsheetId, range: 'Sheet1', values })
    const workflow = await createWorkflow({
      name: 'keyed',
      trigger: {
        type: 'poll',
        source: 'google-sheets-new-rows',
        every: '1m',
        config: { credential, spreadsheetId, keyColumn: 'Email' },
      },
      nodes: echo,
    })
    await poll(workflow.id)
    await append({ Name: 'Ed', Email: 'ed@example.com', Plan: 'pro' })
    expect((await poll(workflow.id)).started.map((s) => s.itemId)).toEqual(['ed@example.com'])
  })
})

describe('notion-changed-pages', () => {
  async function notionApi() {
    const api = fakeApp('notion')
    const credential = await createCredential(
      'notion',
      { token: 'ntn_poll' },
      { baseUrl: api.base },
    )
    const call = async (method: string, path: string, body: unknown) => {
      const response = await fetch(api.url(path), {
        method,
        headers: {
          authorization: 'Bearer ntn_poll',
          'notion-version': '2025-09-03',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      })
      expect(response.status).toBe(200)
      return (await response.json()) as { id: string; last_edited_time: string }
    }
    return { api, credential, call }
  }

  it('starts a run per page created or edited since the last poll, in the simple shape', async () => {
    const { api, credential, call } = await notionApi()
    const dataSourceId = crypto.randomUUID()
    const filter = { property: 'Status', status: { equals: 'Done' } }
    const workflow = await createWorkflow({
      name: 'done pages',
      trigger: {
        type: 'poll',
        source: 'notion-changed-pages',
        every: '1m',
        config: { credential, dataSourceId, filter },
      },
      nodes: echo,
    })
    // The three seeded pages are there already: the baseline.
    expect(await poll(workflow.id)).toMatchObject({ baseline: true, started: [] })
    const created = await call('POST', '/v1/pages', {
      parent: { data_source_id: dataSourceId },
      properties: { Name: { title: [{ text: { content: 'Ship it' } }] } },
    })
    const first = await poll(workflow.id)
    expect(first.started.map((s) => s.itemId)).toEqual([
      `${created.id}@${created.last_edited_time}`,
    ])
    const [page] = (await inputsOf(first)) as { id: string; properties: Record<string, unknown> }[]
    expect(page).toEqual({
      id: created.id,
      url: expect.stringContaining('notion.so'),
      createdTime: created.last_edited_time,
      lastEditedTime: created.last_edited_time,
      properties: { Name: 'Ship it' },
    })
    expect(await poll(workflow.id)).toMatchObject({ found: 0, started: [] })

    // Each query asked for the pages edited since the cursor, oldest first, with the filter.
    const queries = (await api.received()).requests.filter((r) => r.path.endsWith('/query'))
    expect(queries[0]!.body).toEqual({
      filter,
      sorts: [{ timestamp: 'last_edited_time', direction: 'descending' }],
      page_size: 100,
      result_type: 'page',
    })
    const since = (queries.at(-1)!.body as { filter: { and: unknown[] } }).filter.and[0]
    expect(since).toEqual({
      timestamp: 'last_edited_time',
      last_edited_time: { on_or_after: created.last_edited_time },
    })
    expect(queries.at(-1)!.body).toMatchObject({
      filter: { and: [since, filter] },
      sorts: [{ timestamp: 'last_edited_time', direction: 'ascending' }],
    })
  })

  it('starts another run when a page already started is edited in a later minute', async () => {
    const { api, credential, call } = await notionApi()
    const dataSourceId = crypto.randomUUID()
    const workflow = await createWorkflow({
      name: 'edits',
      trigger: {
        type: 'poll',
        source: 'notion-changed-pages',
        every: '1m',
        config: { credential, dataSourceId },
      },
      nodes: echo,
    })
    await poll(workflow.id)
    const created = await call('POST', '/v1/pages', {
      parent: { data_source_id: dataSourceId },
      properties: { Name: { title: [{ text: { content: 'Draft' } }] } },
    })
    expect((await poll(workflow.id)).started).toHaveLength(1)
    // The next edit comes a minute later (the fake's clock moved ahead): a new edit, a new run.
    await fetch(api.url('/__notion/clock'), {
      method: 'POST',
      body: JSON.stringify({ aheadMs: 60_000 }),
    })
    const edited = await call('PATCH', `/v1/pages/${created.id}`, {
      properties: { Status: { status: { name: 'Done' } } },
    })
    await fetch(api.url('/__notion/clock'), {
      method: 'POST',
      body: JSON.stringify({ aheadMs: 0 }),
    })
    expect(edited.last_edited_time).not.toBe(created.last_edited_time)
    const again = await poll(workflow.id)
    expect(again.started.map((s) => s.itemId)).toEqual([`${created.id}@${edited.last_edited_time}`])
    const [page] = (await inputsOf(again)) as { properties: Record<string, unknown> }[]
    expect(page!.properties).toMatchObject({ Name: 'Draft', Status: 'Done' })
    expect(await poll(workflow.id)).toMatchObject({ found: 0 })
  })
})
