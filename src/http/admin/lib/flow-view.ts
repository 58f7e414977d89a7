import { IF_FALSE } from '../../../engine/map-step'
import { findNode } from '../../../nodes/registry'
import type { StepMark } from '../../../store/admin-queries'
import type { StoredWorkflow } from '../../../store/workflows'
import type { Trigger } from '../../../workflow/trigger'
import type { RunSummary } from './load-runs'

/** How a node fared in the last run; `not-reached` also for a run still on its way. */
export type FlowStatus = 'succeeded' | 'failed' | 'skipped' | 'waiting' | 'not-reached'

export type FlowNode = {
  /** From 1, as every page numbers steps. */
  number: number
  id: string
  label: string
  type: string
  /** Its `if`: false skips it and passes its input on. */
  if?: string
  forEach?: string
  /** Its own onError, or the workflow's, is continue. */
  continues: boolean
  /** Its node type may pause the run (delay, wait-for-webhook): `pausesRun` in its definition. */
  waits: boolean
  /** It sets a sync webhook's answer (respond): `answers` in its definition. */
  responds: boolean
  /** Absent when the workflow has no run yet. */
  status?: FlowStatus
}

/** `detail`: a line or two under its name (what it accepts, when it fires, what it polls). */
export type FlowTrigger = { type: string; label: string; detail: string[] }

export type LastRun = {
  run: Pick<RunSummary, 'id' | 'status' | 'workflowVersion' | 'trigger'>
  marks: { steps: StepMark[]; waitingAt: number | null }
}

export type FlowView = {
  name: string
  trigger: FlowTrigger
  nodes: FlowNode[]
  last?: { id: string; status: string; version: number; byHand: boolean }
}

/**
 * What the workflow page's picture draws: the trigger, then each node in order with its marks,
 * and how each fared in the last run. A step is matched to its node by id, so a run of an older
 * version still marks the nodes both versions have.
 */
export function flowView(workflow: StoredWorkflow, last?: LastRun): FlowView {
  const byId = new Map(last?.marks.steps.map((step) => [step.nodeId, step]))
  const nodes = workflow.nodes.map((node, index): FlowNode => {
    const definition = findNode(node.type)
    const step = byId.get(node.id)
    const waiting = last?.marks.waitingAt === index
    return {
      number: index + 1,
      id: node.id,
      label: node.name ?? node.id,
      type: node.type,
      ...(node.if !== undefined ? { if: node.if } : {}),
      ...(node.forEach !== undefined ? { forEach: node.forEach } : {}),
      continues: (node.onError ?? workflow.onError) === 'continue',
      waits: definition?.pausesRun === true,
      responds: definition?.answers === true,
      ...(last ? { status: step ? statusOf(step) : waiting ? 'waiting' : 'not-reached' } : {}),
    }
  })
  const run = last?.run
  return {
    name: workflow.name,
    trigger: describeTrigger(workflow.trigger),
    nodes,
    ...(run
      ? {
          last: {
            id: run.id,
            status: run.status,
            version: run.workflowVersion,
            byHand: (run.trigger as { type?: string } | null)?.type === 'manual',
          },
        }
      : {}),
  }
}

/**
 * A step skipped because the run stopped or ended before it (a failure under stop, a filter) was
 * not reached; only a node its own `if` passed over was skipped.
 */
function statusOf(step: StepMark): FlowStatus {
  if (step.status !== 'skipped') return step.status
  return step.reason?.startsWith(`skipped: ${IF_FALSE}`) ? 'skipped' : 'not-reached'
}

function describeTrigger(trigger: Trigger): FlowTrigger {
  switch (trigger.type) {
    case 'webhook': {
      const how = [trigger.signature ? 'signed' : '', trigger.respond === 'sync' ? 'answers' : '']
      const second = how.filter(Boolean).join(' · ')
      const methods = (trigger.methods ?? ['POST']).join(', ')
      return { type: 'webhook', label: 'Webhook', detail: second ? [methods, second] : [methods] }
    }
    case 'schedule': {
      const zone = trigger.timezone || 'UTC'
      return { type: 'schedule', label: 'Schedule', detail: [trigger.cron, zone] }
    }
    case 'poll':
      return { type: 'poll', label: 'Poll', detail: [trigger.source, `every ${trigger.every}`] }
  }
}
