import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import {
  createWorkflow,
  fakeUpstream,
  getRun,
  postWebhook,
  waitForRun,
} from '../../../test/helpers'

/** Polls until the run is paused at its wait. */
async function waitUntilWaiting(runId: string) {
  const deadline = Date.now() + 15_000
  for (;;) {
    const run = await getRun(runId)
    if (run.waitingFor) return run
    if (Date.now() > deadline) throw new Error(`run ${runId} did not pause: ${run.status}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const answer = (url: string, body: unknown = {}) =>
  SELF.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

/** Sends an approve and a reject link, waits for one, then records the decision. */
async function decisionRun() {
  const chat = fakeUpstream()
  const workflow = await createWorkflow({
    name: 'Two answers',
    nodes: [
      {
        id: 'ask',
        type: 'http-request',
        config: {
          method: 'POST',
          url: chat.url('/messages'),
          body: {
            approve: '{{ run.decisionUrls.approve }}',
            reject: '{{ run.decisionUrls.reject }}',
          },
        },
      },
      {
        id: 'approval',
        type: 'wait-for-webhook',
        config: { timeoutSeconds: 3600, decisions: ['approve', 'reject'] },
      },
      {
        id: 'record',
        type: 'transform',
        config: { expression: '{ "decision": decision, "by": body.by }' },
      },
    ],
  })
  const accepted = await postWebhook(workflow, {})
  const { runId } = (await accepted.json()) as { runId: string }
  await waitUntilWaiting(runId)
  const [sent] = (await chat.received()).requests
  return { runId, links: sent!.body as { approve: string; reject: string } }
}

describe('a wait that offers several decisions', () => {
  it('gives each decision its own token: the approve link cannot be turned into a reject', async () => {
    const { runId, links } = await decisionRun()
    const base = `http://automateos.test/hooks/resume/${runId}/approval/`
    expect(links.approve.startsWith(base)).toBe(true)
    expect(links.reject.startsWith(base)).toBe(true)
    const approveToken = links.approve.slice(base.length)
    const rejectToken = links.reject.slice(base.length)
    expect(approveToken).toMatch(/^[\w-]{22}_approve$/)
    expect(rejectToken).toMatch(/^[\w-]{22}_reject$/)
    expect(approveToken.slice(0, 22)).not.toBe(rejectToken.slice(0, 22))

    // Holding the approve link: its MAC with the other decision's name, its MAC alone, or a
    // ?decision= in the query do not reject.
    const forged = [
      `${base}${approveToken.slice(0, 22)}_reject`,
      `${base}${approveToken.slice(0, 22)}`,
      `${base}${approveToken.slice(0, 22)}_maybe`,
    ]
    for (const url of forged) {
      const refused = await answer(url, { by: 'mallory' })
      expect(refused.status).toBe(404)
      expect(await refused.json()).toEqual({
        error: { code: 'NOT_FOUND', message: 'No enabled workflow answers at this URL' },
      })
    }
    expect((await getRun(runId)).status).toBe('running')

    const approved = await answer(`${links.approve}?decision=reject`, { by: 'ada' })
    expect(approved.status).toBe(202)
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    // The decision is the link's, not the query's.
    expect(run.output).toEqual({ decision: 'approve', by: 'ada' })
    expect(run.steps[1]!.output).toMatchObject({
      decision: 'approve',
      query: { decision: 'reject' },
    })
    // Once answered, the other link is used up too.
    expect((await answer(links.reject, { by: 'bob' })).status).toBe(410)
  })

  it('takes the reject link as a reject', async () => {
    const { runId, links } = await decisionRun()
    expect((await answer(links.reject, { by: 'bob' })).status).toBe(202)
    expect((await waitForRun(runId)).output).toEqual({ decision: 'reject', by: 'bob' })
  })

  it('refuses a decision list that repeats a name or offers one answer', async () => {
    for (const decisions of [['approve', 'approve'], ['approve'], ['Approve', 'reject']]) {
      const response = await SELF.fetch('http://automateos.test/api/workflows', {
        method: 'POST',
        headers: {
          authorization: 'Bearer test-admin-token-of-at-least-32-characters',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          name: 'bad decisions',
          nodes: [{ id: 'w', type: 'wait-for-webhook', config: { decisions } }],
        }),
      })
      expect(response.status).toBe(400)
      expect(JSON.stringify(await response.json())).toContain('nodes.0.config.decisions')
    }
  })
})
