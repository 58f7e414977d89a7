import type { RunsQueue } from '../engine/messages'
import { startRuns, type RunRequest } from '../engine/start-run'
import type { TriggerInfo } from '../store/run-model'
import { claimFireTime, dueSchedules, type DueSchedule } from '../store/schedules'
import type { WorkflowDefinition } from '../workflow/definition'
import { parseCron } from './cron'
import { planFires } from './plan-fires'
import { scheduledRunId } from './run-id'
import { logEvent } from '../lib/log-event'

/** Schedules handled per tick; the rest stay due and are taken by the next one. */
const PER_TICK = 50

/**
 * The cron tick's half for schedules: every schedule whose time has come gets its runs, following
 * its catchUp. The fire time is claimed and the runs are started together (startRuns: one D1
 * batch, one transaction), so a time is never run twice, even by overlapping ticks.
 */
export async function fireDueSchedules(env: { DB: D1Database; RUNS: RunsQueue }, now = Date.now()) {
  const due = await dueSchedules(env.DB, now, PER_TICK)
  let started = 0
  for (const schedule of due) {
    try {
      started += await fireOne(env, schedule, now)
    } catch (error) {
      // One broken schedule must not stop the others; it stays due and is tried next tick.
      logEvent('error', 'schedule_failed', {
        workflowId: schedule.workflow_id,
        message: (error as Error).message,
      })
    }
  }
  return { schedules: due.length, started }
}

async function fireOne(env: { DB: D1Database; RUNS: RunsQueue }, due: DueSchedule, now: number) {
  const definition = JSON.parse(due.definition) as WorkflowDefinition
  const trigger = definition.trigger
  if (trigger.type !== 'schedule') return 0
  const cron = parseCron(trigger.cron, trigger.timezone)
  const plan = planFires(cron, trigger.catchUp, due.next_fire_at, now)
  const last = plan.fires.at(-1)?.scheduledAt ?? null
  const claim = { last, next: plan.next, now }

  const requests: RunRequest[] = []
  for (const fire of plan.fires) {
    const info: TriggerInfo = {
      type: 'schedule',
      receivedAt: now,
      scheduledAt: new Date(fire.scheduledAt).toISOString(),
      cron: trigger.cron,
      timezone: trigger.timezone,
    }
    if (fire.missedSince !== undefined) info.missedSince = new Date(fire.missedSince).toISOString()
    requests.push({
      runId: await scheduledRunId(due.workflow_id, fire.scheduledAt),
      workflow: { id: due.workflow_id, version: due.workflow_version },
      payload: trigger.input ?? {},
      trigger: info,
      createdAt: now,
    })
  }
  const gate = claimFireTime(env.DB, due, claim)
  if (!(await startRuns(env, requests, gate))) return 0 // another tick, or an edit, got there first

  if (plan.skipped) {
    logEvent('info', 'schedule_skipped', {
      workflowId: due.workflow_id,
      catchUp: trigger.catchUp,
      skipped: plan.skipped,
    })
  }
  return requests.length
}
