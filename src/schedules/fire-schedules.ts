import type { RunMessage, TriggerInfo } from '../store/run-model'
import type { RunsQueue } from '../engine/messages'
import { encodeForMessage, utf8Length } from '../store/payloads'
import {
  claimFireTime,
  dueSchedules,
  insertScheduledRun,
  type DueSchedule,
} from '../store/schedules'
import type { WorkflowDefinition } from '../workflow/definition'
import { parseCron } from './cron'
import { planFires } from './plan-fires'
import { scheduledRunId } from './run-id'
import { logEvent } from '../lib/log-event'

/** Schedules handled per tick; the rest stay due and are taken by the next one. */
const PER_TICK = 50
/** Cloudflare Queues take at most 100 messages per sendBatch. */
const SEND_BATCH = 100

/**
 * The cron tick's half for schedules: every schedule whose time has come gets its runs, following
 * its catchUp. The fire time is claimed and the runs are written in one D1 batch (one transaction),
 * so a time is never run twice, even by overlapping ticks; the queue messages follow, and a run
 * whose message is lost is still in D1 for the sweeper.
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

  const messages: RunMessage[] = []
  const statements = [claimFireTime(env.DB, due, claim)]
  for (const fire of plan.fires) {
    const info: TriggerInfo = {
      type: 'schedule',
      receivedAt: now,
      scheduledAt: new Date(fire.scheduledAt).toISOString(),
      cron: trigger.cron,
      timezone: trigger.timezone,
    }
    if (fire.missedSince !== undefined) info.missedSince = new Date(fire.missedSince).toISOString()
    const runId = await scheduledRunId(due.workflow_id, fire.scheduledAt)
    const triggerText = JSON.stringify(info)
    const input = encodeForMessage(env.DB, trigger.input ?? {}, utf8Length(triggerText))
    statements.push(...input.statements)
    statements.push(
      insertScheduledRun(env.DB, due, claim, { id: runId, triggerText, input: input.text }),
    )
    messages.push({
      v: 1,
      runId,
      start: {
        workflowId: due.workflow_id,
        workflowVersion: due.workflow_version,
        trigger: info,
        input: input.text,
        createdAt: now,
      },
    })
  }
  const [claimed] = await env.DB.batch(statements)
  if (!claimed?.results.length) return 0 // another tick, or an edit, got there first

  if (plan.skipped) {
    logEvent('info', 'schedule_skipped', {
      workflowId: due.workflow_id,
      catchUp: trigger.catchUp,
      skipped: plan.skipped,
    })
  }
  for (let i = 0; i < messages.length; i += SEND_BATCH) {
    await env.RUNS.sendBatch(messages.slice(i, i + SEND_BATCH).map((body) => ({ body })))
  }
  return messages.length
}
