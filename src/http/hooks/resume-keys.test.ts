import { SELF, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../../app'
import { encryptionKey } from '../../credentials/crypto'
import { resumeKeyOf } from '../../engine/resume-key'
import { decisionToken, resumeToken, resumeUrl } from '../../engine/resume-url'
import { resumeMessage } from '../../engine/messages'
import { runWorkflow } from '../../engine/run-workflow'
import { hashToken, randomToken } from '../../lib/ids'
import type { Waiting } from '../../store/run-model'
import {
  BIG_BUDGET,
  holdingQueue,
  startMessage,
  storeWorkflow,
} from '../../../test/engine-fixtures'
import {
  ADMIN_TOKEN,
  createWorkflow,
  fakeUpstream,
  getRun,
  postWebhook,
  waitForRun,
} from '../../../test/helpers'
import { everyD1Row, leaksOf } from '../../../test/secret-search'

const ORIGIN = 'http://automateos.test'

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

/** A chat that answers `{ "sent": true }`: the links go out, and no step output holds them. */
async function chat() {
  const upstream = fakeUpstream()
  await upstream.program([
    { method: 'POST', path: '/messages', responses: [{ status: 200, body: { sent: true } }] },
  ])
  return upstream
}

/** Sends the links, then waits for an answer to one of them. */
function askThenWait(url: string, wait: Record<string, unknown>, link: Record<string, string>) {
  return [
    { id: 'ask', type: 'http-request', config: { method: 'POST', url, body: link } },
    { id: 'approval', type: 'wait-for-webhook', config: { timeoutSeconds: 3600, ...wait } },
    { id: 'after', type: 'transform', config: { expression: '{ "got": body }' } },
  ]
}

async function storedResumeKey(runId: string) {
  return env.DB.prepare('SELECT resume_key FROM runs WHERE id = ?')
    .bind(runId)
    .first<string | null>('resume_key')
}

/** The first step's config as GET /api/runs/:id shows it. */
async function shownConfig(runId: string) {
  return ((await getRun(runId)).steps[0] as { config?: unknown }).config
}

async function waitingOf(runId: string) {
  const text = await env.DB.prepare('SELECT waiting FROM runs WHERE id = ?')
    .bind(runId)
    .first<string | null>('waiting')
  return text === null ? null : (JSON.parse(text) as Waiting)
}

describe('resume keys are not kept in D1 (issue 20 item 12)', () => {
  it('a waiting run keeps no usable key or token in D1; its URL resumes, a wrong token is refused', async () => {
    const upstream = await chat()
    const workflow = await createWorkflow({
      name: 'Approve, no key in D1',
      nodes: askThenWait(upstream.url('/messages'), {}, { link: '{{ run.resumeUrl }}' }),
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    await waitUntilWaiting(runId)
    await upstream.waitForRequests(1)
    const [request] = (await upstream.received()).requests
    const link = (request!.body as { link: string }).link
    const token = link.slice(link.lastIndexOf('/') + 1)
    expect(link).toBe(`${ORIGIN}/hooks/resume/${runId}/approval/${token}`)

    // D1 keeps a salt and the token's hash: neither the token nor the key that makes it.
    const stored = (await storedResumeKey(runId))!
    expect(stored).toMatch(/^derived:[\w-]+:[\w-]{22}$/)
    const key = await resumeKeyOf(env, runId, stored)
    expect(await resumeToken(key, runId, 'approval')).toBe(token)
    const waiting = (await waitingOf(runId))!
    expect(waiting.callKeyHash).toBe(await hashToken(token))
    expect(waiting.callKey).toBeUndefined()
    expect(leaksOf(await everyD1Row(env.DB), [token, key])).toEqual([])
    // The step that sent it recorded its config with the token masked; the run's reads show it.
    const config = await env.DB.prepare('SELECT config FROM steps WHERE run_id = ? AND node_id = ?')
      .bind(runId, 'ask')
      .first<string>('config')
    expect(JSON.parse(config!)).toMatchObject({
      body: { link: `${ORIGIN}/hooks/resume/${runId}/approval/[resume-token]` },
    })
    expect(await shownConfig(runId)).toMatchObject({ body: { link } })
    // What D1 holds does not make the token: the salt and the hash are no key.
    const salt = stored.split(':')[2]!
    for (const guess of [stored, salt, waiting.callKeyHash!])
      expect(await resumeToken(guess, runId, 'approval')).not.toBe(token)

    // A wrong token, and the hash presented as a token, get the unknown-hook answer.
    for (const wrong of [randomToken(16), waiting.callKeyHash!, stored]) {
      const refused = await answer(`${ORIGIN}/hooks/resume/${runId}/approval/${wrong}`)
      expect(refused.status).toBe(404)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')
    }
    expect((await getRun(runId)).waitingFor).toMatchObject({ delivered: false })

    const accepted = await answer(link, { by: 'ada' })
    expect(accepted.status).toBe(202)
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ got: { by: 'ada' } })
    expect((await answer(link, { by: 'mallory' })).status).toBe(410)
  })

  it('keeps no decision token in D1 either; each decision URL still works', async () => {
    const upstream = await chat()
    const workflow = await createWorkflow({
      name: 'Decide, no key in D1',
      nodes: askThenWait(
        upstream.url('/messages'),
        { decisions: ['approve', 'reject'] },
        { approve: '{{ run.decisionUrls.approve }}', reject: '{{ run.decisionUrls.reject }}' },
      ),
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    await waitUntilWaiting(runId)
    await upstream.waitForRequests(1)
    const links = (await upstream.received()).requests[0]!.body as Record<string, string>
    const tokens = Object.values(links).map((url) => url.slice(url.lastIndexOf('/') + 1))
    const key = await resumeKeyOf(env, runId, (await storedResumeKey(runId))!)
    expect(tokens).toEqual([
      await decisionToken(key, runId, 'approval', 'approve'),
      await decisionToken(key, runId, 'approval', 'reject'),
    ])
    // The wait's own key (what a decision call brings to the run) is not in D1 either.
    const waitKey = await resumeToken(key, runId, 'approval')
    expect(leaksOf(await everyD1Row(env.DB), [...tokens, waitKey, key])).toEqual([])
    expect(await shownConfig(runId)).toMatchObject({ body: links })

    expect((await answer(links.reject!, { by: 'ada' })).status).toBe(202)
    expect((await waitForRun(runId)).steps[1]!.output).toMatchObject({ decision: 'reject' })
  })
})

describe('a run that was waiting with a key in clear (before keys were derived)', () => {
  /**
   * A run paused at its wait, then made to look as an older version left it: the run's key in
   * runs.resume_key and the wait's token in clear in runs.waiting.
   */
  async function legacyWaitingRun() {
    const upstream = await chat()
    const workflowId = await storeWorkflow({
      nodes: askThenWait(upstream.url('/messages'), {}, { link: '{{ run.resumeUrl }}' }),
    })
    const message = startMessage(workflowId, {})
    const held = holdingQueue()
    const deps = { db: env.DB, queue: held.queue, publicUrl: ORIGIN, keySlots: env }
    await runWorkflow(deps, message, BIG_BUDGET)
    const { runId } = message
    expect((await waitingOf(runId))?.nodeId).toBe('approval')

    const clearKey = randomToken(32)
    const token = await resumeToken(clearKey, runId, 'approval')
    await env.DB.prepare(
      `UPDATE runs SET resume_key = ?2,
         waiting = json_remove(json_set(waiting, '$.callKey', ?3), '$.callKeyHash')
       WHERE id = ?1`,
    )
      .bind(runId, clearKey, token)
      .run()
    const url = resumeUrl(ORIGIN, { runId, nodeId: 'approval', token })
    return { runId, clearKey, token, url, deps, held }
  }

  it('resumes once with the URL it handed out; the key in clear is gone when the run ends', async () => {
    const { runId, clearKey, token, url } = await legacyWaitingRun()
    expect((await getRun(runId)).waitingFor).toMatchObject({ acceptsCall: true })
    // A wrong token is refused as for any run.
    expect(
      (await answer(`${ORIGIN}/hooks/resume/${runId}/approval/${randomToken(16)}`)).status,
    ).toBe(404)

    expect((await answer(url, { by: 'ada' })).status).toBe(202)
    // Used: 410 while the run goes on, 404 once it ended and its key is gone.
    expect([404, 410]).toContain((await answer(url, { by: 'mallory' })).status)
    const run = await waitForRun(runId)
    expect(run.status).toBe('succeeded')
    expect(run.output).toEqual({ got: { by: 'ada' } })
    expect(await storedResumeKey(runId)).toBeNull()
    expect(leaksOf(await everyD1Row(env.DB), [clearKey, token])).toEqual([])
    expect((await answer(url, { by: 'mallory' })).status).toBe(404)
  })

  it('keeps only the hash of its token once the engine suspends the wait again', async () => {
    const { runId, token, url, deps, held } = await legacyWaitingRun()
    // Woken before its timeout with nothing delivered (a wait past the queue's ceiling).
    await runWorkflow(deps, resumeMessage(runId), BIG_BUDGET)
    expect(held.sent.length).toBeGreaterThan(1)
    const waiting = (await waitingOf(runId))!
    expect(waiting.callKey).toBeUndefined()
    expect(waiting.callKeyHash).toBe(await hashToken(token))
    expect(JSON.stringify(waiting)).not.toContain(token)

    expect((await answer(url, { by: 'grace' })).status).toBe(202)
    const run = await waitForRun(runId)
    expect(run.output).toEqual({ got: { by: 'grace' } })
  })
})

describe('resume URLs and the encryption key', () => {
  const NEW_KEY = 'new-encryption-key-of-at-least-32-characters-0003'

  /** The Worker as it is after `npm run rotate-key` adds a slot, or with only these slots. */
  const request = (keys: object, path: string, init: RequestInit = {}) =>
    app.request(path, init, { ...env, ...keys })

  it('keeps working across a rotation, which keeps the old slot while runs use it', async () => {
    const upstream = await chat()
    const workflow = await createWorkflow({
      name: 'Approve across a rotation',
      nodes: askThenWait(upstream.url('/messages'), {}, { link: '{{ run.resumeUrl }}' }),
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    await waitUntilWaiting(runId)
    await upstream.waitForRequests(1)
    const link = ((await upstream.received()).requests[0]!.body as { link: string }).link
    const oldId = (await encryptionKey(env.ENCRYPTION_KEY!)).id
    expect(await storedResumeKey(runId)).toMatch(new RegExp(`^derived:${oldId}:`))

    const rotated = { ENCRYPTION_KEY_2: NEW_KEY }
    const status = await request(rotated, '/api/encryption-key', {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    const { resumingRuns } = (await status.json()) as {
      resumingRuns: { keyId: string; slot: string | null; count: number }[]
    }
    expect(resumingRuns).toContainEqual({
      keyId: oldId,
      slot: 'ENCRYPTION_KEY',
      count: expect.any(Number),
    })

    // With the old slot gone the link cannot be checked: the same 404 as a wrong token.
    const gone = await request({ ENCRYPTION_KEY: NEW_KEY }, new URL(link).pathname, {
      method: 'POST',
    })
    expect(gone.status).toBe(404)
    // With both slots (mid-rotation), the link handed out before still answers the wait.
    const answered = await request(rotated, new URL(link).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'ada' }),
    })
    expect(answered.status).toBe(202)
    expect((await waitForRun(runId)).output).toEqual({ got: { by: 'ada' } })
  })

  it('fails the step that reads run.resumeUrl clearly when no ENCRYPTION_KEY is set', async () => {
    const upstream = await chat()
    const workflowId = await storeWorkflow({
      nodes: askThenWait(upstream.url('/messages'), {}, { link: '{{ run.resumeUrl }}' }),
    })
    const message = startMessage(workflowId, {})
    const deps = { db: env.DB, queue: holdingQueue().queue, publicUrl: ORIGIN, keySlots: {} }
    await runWorkflow(deps, message, BIG_BUDGET)
    const run = await getRun(message.runId)
    expect(run.status).toBe('failed')
    expect(run.steps[0]!.error).toMatchObject({ code: 'RESUME_URL_UNAVAILABLE' })
    expect(run.steps[0]!.error!.message).toContain('needs the ENCRYPTION_KEY secret')
    expect((await upstream.received()).requests).toEqual([])
  })
})
