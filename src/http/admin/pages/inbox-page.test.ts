import { createMessageBatch, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { seedRun, startMessage } from '../../../../test/engine-fixtures'
import { createWorkflow, postWebhook, waitForRun } from '../../../../test/helpers'
import type { RunMessage } from '../../../store/run-model'
import { uuidv7 } from '../../../lib/ids'
import worker from '../../../index'
import { signedIn } from '../../../../test/admin-session'

describe('inbox', () => {
  it('lists failed and dead-lettered runs, and dismissing one takes it out', async () => {
    const workflow = await createWorkflow({
      name: 'Inbox flow',
      nodes: [
        { id: 'ok', type: 'transform', config: { expression: '$' } },
        { id: 'boom', type: 'transform', config: { expression: '$error("out of stock")' } },
      ],
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    await waitForRun(runId)
    // A message the queue gave up on: the dead-letter consumer fails its run.
    const lost = { ...startMessage(workflow.id, {}), runId: uuidv7() } satisfies RunMessage
    await seedRun(lost, { status: 'queued' })
    await worker.queue(
      createMessageBatch<RunMessage>('automateos-runs-dlq', [
        { id: 'dlq-1', timestamp: new Date(), attempts: 1, body: lost },
      ]),
      env,
    )

    const session = await signedIn()
    const { html } = await session.page('/admin/inbox')
    const entry = (id: string) =>
      new RegExp(`<li class="step status-failed" id="inbox-${id}">([\\s\\S]*?)</li>`).exec(
        html,
      )?.[1]
    expect(entry(runId)).toContain('<span class="badge badge-failed">failed at step 2</span>')
    expect(entry(runId)).toContain(
      '<div class="error-box">JSONata evaluation failed: out of stock</div>',
    )
    expect(entry(lost.runId)).toContain('<span class="badge badge-failed">dead-lettered</span>')
    expect(entry(runId)).toContain(`action="/admin/runs/${runId}/dismiss"`)

    const dashboard = await session.page('/admin')
    const count = Number(
      /Inbox<\/p><div class="value"><a href="\/admin\/inbox">(\d+)</.exec(dashboard.html)![1],
    )
    expect(count).toBeGreaterThanOrEqual(2)

    const dismissed = await session.post(`/admin/runs/${runId}/dismiss`, { from: 'inbox' })
    expect(dismissed.location).toBe('/admin/inbox?done=dismissed')
    const after = await session.page(dismissed.location!)
    expect(after.html).toContain('Dismissed.')
    expect(after.html).not.toContain(`id="inbox-${runId}"`)
    expect(after.html).toContain(`id="inbox-${lost.runId}"`)
    const runPage = await session.page(`/admin/runs/${runId}`)
    expect(runPage.html).not.toContain('Dismiss from inbox')
    const lostPage = await session.page(`/admin/runs/${lost.runId}`)
    expect(lostPage.html).toContain('Dismiss from inbox')
    expect(lostPage.html).toContain('DEAD_LETTERED')
  })

  it('does not take a succeeded run into the dismissals', async () => {
    const workflow = await createWorkflow({
      name: 'Fine',
      nodes: [{ id: 'ok', type: 'transform', config: { expression: '$' } }],
    })
    const { runId } = (await (await postWebhook(workflow, {})).json()) as { runId: string }
    await waitForRun(runId)
    const session = await signedIn()
    await session.post(`/admin/runs/${runId}/dismiss`)
    const row = await env.DB.prepare('SELECT 1 FROM run_dismissals WHERE run_id = ?')
      .bind(runId)
      .first()
    expect(row).toBeNull()
  })
})
