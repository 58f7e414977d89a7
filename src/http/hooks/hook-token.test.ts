import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, waitForRun } from '../../../test/helpers'
import { upgradeHookTokens } from '../../store/workflows'

const echo = [{ id: 'echo', type: 'transform', config: { expression: '$' } }]

const storedToken = async (id: string) =>
  (await env.DB.prepare('SELECT hook_token FROM workflows WHERE id = ?')
    .bind(id)
    .first('hook_token')) as string

const tokenOf = (webhookUrl: string) => webhookUrl.split('/').pop()!

/** A workflow as it was stored before migration 0014: its token in clear. */
async function legacyWorkflow(name: string) {
  const workflow = await createWorkflow({ name, nodes: echo })
  const clear = `legacy-${name}-${'x'.repeat(24)}`.replace(/\s/g, '-')
  await env.DB.prepare('UPDATE workflows SET hook_token = ? WHERE id = ?')
    .bind(clear, workflow.id)
    .run()
  return { id: workflow.id, clear, url: `http://automateos.test/hooks/${workflow.id}/${clear}` }
}

/** A delivery through the Worker, waiting for what it left to finish after the answer. */
async function deliverAndSettle(url: string, init: RequestInit = {}) {
  const { app } = await import('../../app')
  const ctx = createExecutionContext()
  const response = await app.fetch(
    new Request(url, { method: 'POST', body: '{}', ...init }),
    env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return response
}

describe('webhook tokens are stored hashed', () => {
  it('keeps only a hash in D1, and shows the URL only when the token is made', async () => {
    const workflow = await createWorkflow({ name: 'hashed', nodes: echo })
    const token = tokenOf(workflow.webhookUrl)
    const stored = await storedToken(workflow.id)
    expect(stored).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/)
    expect(stored).not.toContain(token)
    for (const path of [`/api/workflows/${workflow.id}`, '/api/workflows']) {
      const text = await (await admin(path)).text()
      expect(text).not.toContain(token)
      expect(text).toContain('"webhookUrl":null')
    }
    const response = await SELF.fetch(workflow.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"n":1}',
    })
    expect(response.status).toBe(202)
    expect((await waitForRun(((await response.json()) as { runId: string }).runId)).output).toEqual(
      {
        n: 1,
      },
    )

    const rotated = (await (
      await admin(`/api/workflows/${workflow.id}/rotate-token`, { method: 'POST' })
    ).json()) as { webhookUrl: string }
    const fresh = tokenOf(rotated.webhookUrl)
    expect(await storedToken(workflow.id)).not.toContain(fresh)
    expect((await SELF.fetch(rotated.webhookUrl, { method: 'POST', body: '{}' })).status).toBe(202)
  })

  it('takes the token from X-AutomateOS-Token on /hooks/:workflowId, for senders that set headers', async () => {
    const workflow = await createWorkflow({ name: 'header token', nodes: echo })
    const token = tokenOf(workflow.webhookUrl)
    const base = `http://automateos.test/hooks/${workflow.id}`
    const sent = await SELF.fetch(base, {
      method: 'POST',
      headers: { 'x-automateos-token': token, 'content-type': 'application/json' },
      body: '{"via":"header"}',
    })
    expect(sent.status).toBe(202)
    const run = await waitForRun(((await sent.json()) as { runId: string }).runId)
    expect(run.output).toEqual({ via: 'header' })
    // The header is the token: it is not kept with the run's trigger.
    expect(JSON.stringify(run.trigger)).not.toContain(token)

    const notFound = {
      error: { code: 'NOT_FOUND', message: 'No enabled workflow answers at this URL' },
    }
    const attempts: Record<string, string>[] = [{ 'x-automateos-token': `${token}x` }, {}]
    for (const headers of attempts) {
      const refused = await SELF.fetch(base, { method: 'POST', headers, body: '{}' })
      expect(refused.status).toBe(404)
      expect(await refused.json()).toEqual(notFound)
    }
  })

  it('upgrades a token kept in clear: it still works, and is stored hashed once used', async () => {
    const legacy = await legacyWorkflow('used')
    expect(await storedToken(legacy.id)).toBe(legacy.clear)
    expect((await deliverAndSettle(`${legacy.url}x`)).status).toBe(404)
    expect(await storedToken(legacy.id)).toBe(legacy.clear)

    expect((await deliverAndSettle(legacy.url)).status).toBe(202)
    const stored = await storedToken(legacy.id)
    expect(stored).toMatch(/^sha256:/)
    expect(stored).not.toContain(legacy.clear)
    expect((await deliverAndSettle(legacy.url)).status).toBe(202)
  })

  it('upgrades the tokens nobody used in the cron pass, leaving hashed ones alone', async () => {
    const idle = await legacyWorkflow('idle')
    const hashed = await createWorkflow({ name: 'already hashed', nodes: echo })
    const before = await storedToken(hashed.id)
    expect(await upgradeHookTokens(env.DB)).toBeGreaterThanOrEqual(1)
    expect(await storedToken(idle.id)).toMatch(/^sha256:/)
    expect(await storedToken(hashed.id)).toBe(before)
    const left = await env.DB.prepare(
      "SELECT count(*) AS n FROM workflows WHERE hook_token NOT LIKE 'sha256:%'",
    ).first('n')
    expect(left).toBe(0)
    expect((await deliverAndSettle(idle.url)).status).toBe(202)
  })
})
