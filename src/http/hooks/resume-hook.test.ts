import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { fakeApp } from '../../../test/apps'
import { createCredential } from '../../../test/credentials'
import {
  createWorkflow,
  fakeUpstream,
  getRun,
  postWebhook,
  waitForRun,
  type RunView,
} from '../../../test/helpers'

const SLACK_HOOK = '/services/T0001/B0002/XXXXsecretXXXX'

/** Polls until the run is paused at a step; fails past the deadline. */
async function waitUntilWaiting(runId: string, timeoutMs = 15_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const run = await getRun(runId)
    if (run.waitingFor) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} did not pause: ${run.status}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

function call(url: string, init: RequestInit = {}) {
  return SELF.fetch(url, { method: 'POST', redirect: 'manual', ...init })
}

const json = (body: unknown): RequestInit => ({
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** Slack message with an approve link, a wait, then a refund call using the approval's body. */
async function approvalWorkflow(timeoutSeconds = 3600) {
  const slack = fakeApp('slack')
  const shop = fakeUpstream()
  const credential = await createCredential('slack-webhook', { url: slack.url(SLACK_HOOK) })
  const workflow = await createWorkflow({
    name: 'Refund approval',
    nodes: [
      {
        id: 'ask',
        type: 'slack-message',
        config: {
          credential,
          text: 'Refund {{ input.orderId }}? Approve: {{ run.resumeUrl }}?decision=approve',
        },
      },
      { id: 'approval', type: 'wait-for-webhook', config: { timeoutSeconds } },
      {
        id: 'refund',
        type: 'http-request',
        config: {
          method: 'POST',
          url: shop.url('/refunds'),
          body: {
            orderId: '{{ run.input.orderId }}',
            decision: '{{ input.query.decision ?? "none" }}',
            by: '{{ steps.approval.output.body.by ?? "nobody" }}',
          },
        },
      },
    ],
  })
  const accepted = await postWebhook(workflow, { orderId: 'ord_42' })
  expect(accepted.status).toBe(202)
  const { runId } = (await accepted.json()) as { runId: string }
  return { slack, shop, runId }
}

/** The resume URL the Slack message carried, and that message's exact text. */
async function sentLink(slack: ReturnType<typeof fakeApp>) {
  await slack.waitForRequests(1)
  const [request] = (await slack.received()).requests
  const text = (request!.body as { text: string }).text
  const url = /Approve: (\S+)\?decision=approve$/.exec(text)?.[1]
  expect(url).toBeDefined()
  return { request: request!, text, url: url! }
}

async function unknownHookAnswer() {
  const response = await call('http://automateos.test/hooks/wf_nobody/x', json({}))
  return { status: response.status, body: await response.json() }
}

describe('waiting for a reply: an approval', () => {
  it('waits, is resumed once by the URL in the Slack message, and the next step gets the body', async () => {
    const { slack, shop, runId } = await approvalWorkflow()
    const waiting = await waitUntilWaiting(runId)
    expect(waiting.status).toBe('running')
    expect(waiting.waitingFor).toMatchObject({
      stepIndex: 1,
      nodeId: 'approval',
      for: 'webhook',
      acceptsCall: true,
      delivered: false,
    })

    const { request, text, url } = await sentLink(slack)
    expect(url).toMatch(
      new RegExp(`^http://automateos\\.test/hooks/resume/${runId}/approval/[A-Za-z0-9_-]{22}$`),
    )
    expect(request).toMatchObject({ method: 'POST', path: SLACK_HOOK })
    expect(request.body).toEqual({ text: `Refund ord_42? Approve: ${url}?decision=approve` })
    expect(text).toBe(`Refund ord_42? Approve: ${url}?decision=approve`)

    const answer = await call(`${url}?decision=approve`, json({ by: 'ada' }))
    expect(answer.status).toBe(202)
    expect(await answer.json()).toEqual({
      runId,
      nodeId: 'approval',
      resumed: true,
      statusUrl: `http://automateos.test/api/runs/${runId}`,
    })

    // The URL works once: the second call is refused, before and after the run goes on.
    const again = await call(`${url}?decision=reject`, json({ by: 'mallory' }))
    expect(again.status).toBe(410)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('RESUME_URL_USED')

    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ['ask', 'succeeded'],
      ['approval', 'succeeded'],
      ['refund', 'succeeded'],
    ])
    expect(run.steps[1]!.output).toEqual({
      body: { by: 'ada' },
      query: { decision: 'approve' },
      method: 'POST',
      contentType: 'application/json',
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    const refunds = (await shop.received()).requests
    expect(refunds).toHaveLength(1)
    expect(refunds[0]).toMatchObject({
      method: 'POST',
      path: '/refunds',
      body: { orderId: 'ord_42', decision: 'approve', by: 'ada' },
    })

    const late = await call(url, json({ by: 'eve' }))
    expect(late.status).toBe(410)
    expect(((await late.json()) as { error: { message: string } }).error.message).toMatch(
      /used already/,
    )
    expect((await shop.received()).requests).toHaveLength(1)
  })

  it('answers a wrong token, an unknown run and another node exactly as an unknown webhook', async () => {
    const { slack, runId } = await approvalWorkflow()
    await waitUntilWaiting(runId)
    const { url } = await sentLink(slack)
    const token = url.slice(url.lastIndexOf('/') + 1)
    const wrongToken = url.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    const unknownRun = url.replace(runId, crypto.randomUUID())
    const otherNode = url.replace('/approval/', '/refund/')
    const expected = await unknownHookAnswer()
    expect(expected.status).toBe(404)
    for (const wrong of [wrongToken, unknownRun, otherNode]) {
      for (const method of ['POST', 'GET', 'PUT']) {
        const response = await call(wrong, { method, ...(method === 'GET' ? {} : json({})) })
        expect({ status: response.status, body: await response.json() }).toEqual(expected)
      }
    }
    // None of them delivered anything.
    expect((await getRun(runId)).waitingFor).toMatchObject({ delivered: false })
  })

  it('GET shows a page that asks first (no delivery); its form posts the same URL', async () => {
    const { slack, runId } = await approvalWorkflow()
    await waitUntilWaiting(runId)
    const { url } = await sentLink(slack)

    const page = await SELF.fetch(`${url}?decision=%3Cb%3Eapprove%3C%2Fb%3E`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self'")
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-store')
    const html = await page.text()
    expect(html).toContain('<form method="post">')
    expect(html).toContain('&lt;b&gt;approve&lt;/b&gt;')
    expect(html).not.toContain('<b>approve</b>')
    expect(html).not.toContain('<script')
    expect((await getRun(runId)).waitingFor).toMatchObject({ delivered: false })

    // What the browser sends when the button is pressed: an empty form to the same URL.
    const sent = await call(`${url}?decision=approve`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: '',
    })
    expect(sent.status).toBe(200)
    expect(await sent.text()).toContain('Answer sent')
    // Clicked again: the person reads why; the status says it too.
    const twice = await SELF.fetch(`${url}?decision=approve`, { headers: { accept: 'text/html' } })
    expect(twice.status).toBe(410)
    expect(await twice.text()).toContain('This resume URL was used already')
    const run = await waitForRun(runId)
    expect(run.steps[1]!.output).toMatchObject({
      body: {},
      query: { decision: 'approve' },
      method: 'POST',
    })
  })

  it('takes a text body and refuses one over the webhook limit with 413', async () => {
    const { slack, runId } = await approvalWorkflow()
    await waitUntilWaiting(runId)
    const { url } = await sentLink(slack)
    const big = await call(url, {
      headers: { 'content-type': 'text/plain' },
      body: 'x'.repeat(1024 * 1024 + 1),
    })
    expect(big.status).toBe(413)
    expect((await getRun(runId)).waitingFor).toMatchObject({ delivered: false })

    const text = await call(url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'LGTM',
    })
    expect(text.status).toBe(202)
    const run = await waitForRun(runId)
    expect(run.steps[1]!.output).toMatchObject({ body: 'LGTM', method: 'PUT', query: {} })
  })
})
