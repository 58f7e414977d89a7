import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, postWebhook, waitForRun } from '../../test/helpers'
import { fireDueSchedules } from './fire-schedules'

const HOUR = 3600_000

function scheduled(trigger: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    name: 'scheduled',
    trigger: { type: 'schedule', ...trigger },
    nodes: [{ id: 'echo', type: 'transform', config: { expression: '$' } }],
    ...extra,
  }
}

async function scheduleRow(workflowId: string) {
  return env.DB.prepare('SELECT * FROM schedules WHERE workflow_id = ?')
    .bind(workflowId)
    .first<{ next_fire_at: number; last_fire_at: number | null; workflow_version: number }>()
}

async function runsOf(workflowId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, workflow_version, trigger FROM runs WHERE workflow_id = ? ORDER BY id',
  )
    .bind(workflowId)
    .all<{ id: string; workflow_version: number; trigger: string }>()
  return results.map((r) => ({ ...r, trigger: JSON.parse(r.trigger) as Record<string, unknown> }))
}

const iso = (ms: number) => new Date(ms).toISOString()

describe('schedules', () => {
  it('stores the next fire time on save and starts a run with the input when it comes', async () => {
    const workflow = await createWorkflow(
      scheduled({ cron: '0 8 * * *', timezone: 'Europe/Berlin', input: { report: 'daily' } }),
    )
    const row = (await scheduleRow(workflow.id))!
    expect(row.next_fire_at).toBeGreaterThan(Date.now())
    // 08:00 in Berlin is 07:00 or 06:00 UTC.
    expect([6, 7]).toContain(new Date(row.next_fire_at).getUTCHours())

    expect((await fireDueSchedules(env, row.next_fire_at - 1)).started).toBe(0)
    await fireDueSchedules(env, row.next_fire_at + 5_000)
    const [run] = await runsOf(workflow.id)
    expect(run!.trigger).toMatchObject({
      type: 'schedule',
      scheduledAt: iso(row.next_fire_at),
      cron: '0 8 * * *',
      timezone: 'Europe/Berlin',
    })
    const finished = await waitForRun(run!.id)
    expect(finished.status).toBe('succeeded')
    expect(finished.output).toEqual({ report: 'daily' })
    expect((await scheduleRow(workflow.id))!.last_fire_at).toBe(row.next_fire_at)
  })

  it('catches a missed window up exactly once under catchUp once', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '0 * * * *' }))
    const first = (await scheduleRow(workflow.id))!.next_fire_at
    // Five hourly times pass with no tick (an outage), then two ticks come.
    const late = first + 4 * HOUR + 10 * 60_000
    await fireDueSchedules(env, late)
    await fireDueSchedules(env, late + 30_000)
    const runs = await runsOf(workflow.id)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.trigger).toMatchObject({
      scheduledAt: iso(first + 4 * HOUR),
      missedSince: iso(first),
    })
    expect((await scheduleRow(workflow.id))!.next_fire_at).toBe(first + 5 * HOUR)
  })

  it('runs each missed time under catchUp all, and none of them under none', async () => {
    const all = await createWorkflow(scheduled({ cron: '0 * * * *', catchUp: 'all' }))
    const none = await createWorkflow(scheduled({ cron: '0 * * * *', catchUp: 'none' }))
    const first = (await scheduleRow(all.id))!.next_fire_at
    await fireDueSchedules(env, first + 2 * HOUR + 10 * 60_000)
    expect((await runsOf(all.id)).map((r) => r.trigger.scheduledAt)).toEqual([
      iso(first),
      iso(first + HOUR),
      iso(first + 2 * HOUR),
    ])
    expect(await runsOf(none.id)).toEqual([])
    expect((await scheduleRow(none.id))!.next_fire_at).toBe(first + 3 * HOUR)
  })

  it('fires a time once when two ticks overlap', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '*/5 * * * *', catchUp: 'all' }))
    const due = (await scheduleRow(workflow.id))!.next_fire_at
    const ticks = await Promise.all([
      fireDueSchedules(env, due + 1_000),
      fireDueSchedules(env, due + 1_000),
      fireDueSchedules(env, due + 20_000),
    ])
    expect(ticks.length).toBe(3)
    const runs = await runsOf(workflow.id)
    expect(runs.map((r) => r.trigger.scheduledAt)).toEqual([iso(due)])
  })

  it('starts one run for a fire time even when a retried tick writes it again', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '0 * * * *', catchUp: 'all' }))
    const due = (await scheduleRow(workflow.id))!.next_fire_at
    await fireDueSchedules(env, due + 1_000)
    const [first] = await runsOf(workflow.id)
    await waitForRun(first!.id)
    // A tick that saw the old row (its claim's answer lost, say) writes the same time again:
    // the run id is the same, so the row is not written twice and the message finds it done.
    await env.DB.prepare('UPDATE schedules SET next_fire_at = ? WHERE workflow_id = ?')
      .bind(due, workflow.id)
      .run()
    expect((await fireDueSchedules(env, due + 2_000)).started).toBeGreaterThanOrEqual(1)
    const runs = await runsOf(workflow.id)
    expect(runs.map((r) => r.id)).toEqual([first!.id])
    const run = await waitForRun(first!.id)
    expect(run.steps.map((step) => [step.nodeId, step.attempts])).toEqual([['echo', 1]])
  })

  it('never fires the old time of an edited schedule, and keeps the time when only nodes change', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '0 8 * * *' }))
    const oldTime = (await scheduleRow(workflow.id))!.next_fire_at

    // Same schedule, new nodes: the pending time stays and runs the new version.
    const sameTime = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: scheduled({ cron: '0 8 * * *' }, { name: 'renamed' }),
    })
    expect(sameTime.status).toBe(200)
    expect((await scheduleRow(workflow.id))!).toMatchObject({
      next_fire_at: oldTime,
      workflow_version: 2,
    })

    const moved = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: scheduled({ cron: '0 9 * * *' }),
    })
    expect(moved.status).toBe(200)
    const newTime = (await scheduleRow(workflow.id))!.next_fire_at
    expect(newTime).not.toBe(oldTime)

    // Which of 08:00 and 09:00 comes first depends on the hour the suite runs (between them,
    // 09:00 today precedes 08:00 tomorrow), so one tick past both: only the new time fires.
    await fireDueSchedules(env, Math.max(oldTime, newTime) + 1_000)
    const runs = await runsOf(workflow.id)
    expect(runs.map((r) => [r.trigger.scheduledAt, r.workflow_version])).toEqual([
      [iso(newTime), 3],
    ])
  })

  it('does not fire a disabled or deleted schedule, nor the times missed while disabled', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '0 * * * *' }))
    const deleted = await createWorkflow(scheduled({ cron: '0 * * * *' }))
    const due = (await scheduleRow(workflow.id))!.next_fire_at
    const off = await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: scheduled({ cron: '0 * * * *' }, { enabled: false }),
    })
    expect(off.status).toBe(200)
    expect((await admin(`/api/workflows/${deleted.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await scheduleRow(workflow.id)).toBeNull()
    expect(await scheduleRow(deleted.id)).toBeNull()
    await fireDueSchedules(env, due + 3 * HOUR)
    expect(await runsOf(workflow.id)).toEqual([])
    expect(await runsOf(deleted.id)).toEqual([])

    // Enabled again: the next time from now on, not the ones it slept through.
    await admin(`/api/workflows/${workflow.id}`, {
      method: 'PUT',
      json: scheduled({ cron: '0 * * * *' }),
    })
    expect((await scheduleRow(workflow.id))!.next_fire_at).toBeGreaterThan(Date.now())
    await fireDueSchedules(env)
    expect(await runsOf(workflow.id)).toEqual([])
  })

  it('has no webhook: its URL answers 404 and starts nothing', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '0 8 * * *' }))
    const response = await postWebhook(workflow, {})
    expect(response.status).toBe(404)
    expect(await runsOf(workflow.id)).toEqual([])
  })

  it('refuses an invalid cron or time zone with a 400 naming the field', async () => {
    const cases = [
      [{ cron: '61 * * * *' }, 'trigger.cron', /minute/],
      [{ cron: '0 0 8 * * *' }, 'trigger.cron', /5 parts/],
      [{ cron: '0 0 30 2 *' }, 'trigger.cron', /never fires/],
      [{ cron: '0 8 * * *', timezone: 'Mars/Olympus' }, 'trigger.timezone', /Mars\/Olympus/],
      [{ cron: '0 8 * * *', catchUp: 'twice' }, 'trigger.catchUp', /./],
    ] as const
    for (const [trigger, path, message] of cases) {
      const response = await admin('/api/workflows', { method: 'POST', json: scheduled(trigger) })
      expect(response.status).toBe(400)
      const body = (await response.json()) as {
        error: { code: string; details: { path: string; message: string }[] }
      }
      expect(body.error.code).toBe('VALIDATION_FAILED')
      expect(body.error.details).toEqual([{ path, message: expect.stringMatching(message) }])
    }
  })

  it('is fired by the Worker cron handler', async () => {
    const workflow = await createWorkflow(scheduled({ cron: '* * * * *', catchUp: 'none' }))
    // Its time has come: the cron handler fires every due schedule.
    await env.DB.prepare('UPDATE schedules SET next_fire_at = ? WHERE workflow_id = ?')
      .bind(Date.now() - 1_000, workflow.id)
      .run()
    const worker = (await import('../index')).default
    const { createExecutionContext, createScheduledController, waitOnExecutionContext } =
      await import('cloudflare:test')
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController(), env, ctx)
    await waitOnExecutionContext(ctx)
    const runs = await runsOf(workflow.id)
    expect(runs).toHaveLength(1)
    expect(runs[0]!.trigger.type).toBe('schedule')
  })
})
