import { Hono } from 'hono'
import type { Context } from 'hono'
import { workflowLabels } from '../../../store/admin-queries'
import { INBOX_STATUSES, dismissRun, isDismissed } from '../../../store/inbox'
import { getRun } from '../../../store/runs'
import { runWithResumeUrls } from '../../../engine/resume-tokens'
import { getWorkflowVersion } from '../../../store/workflow-versions'
import { listWorkflows } from '../../../store/workflows'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'
import { loadRuns, parseFilter } from '../lib/load-runs'
import { MessagePage } from '../pages/message-page'
import { render } from '../components/page-context'
import { PostButton } from '../components/post-button'
import { RunPage } from '../pages/run-page'
import { RunsPage } from '../pages/runs-page'

type C = Context<AdminEnv>

export const runPages = new Hono<AdminEnv>()

const runPath = (id: string) => `/admin/runs/${encodeURIComponent(id)}`

function notFound(c: C, id: string) {
  const message = `No run has the id ${id}.`
  return render(c, <MessagePage title="Not found" message={message} signedIn />, 404)
}

runPages.get('/', async (c) => {
  const filter = parseFilter(c.req.query())
  const [view, workflows] = await Promise.all([
    loadRuns(c.env.DB, filter, { cursor: c.req.query('cursor') }),
    listWorkflows(c.env.DB),
  ])
  return render(c, <RunsPage view={view} workflows={workflows} />)
})

runPages.get('/:id', async (c) => {
  const id = c.req.param('id')
  const run = await runWithResumeUrls(c.env.DB, c.env, id)
  if (!run) return notFound(c, id)
  // A resumed run is dealt with: it is out of the inbox and cannot be resumed again.
  const inbox = INBOX_STATUSES.has(run.status) && run.resumedBy === null
  const [labels, dismissed, definition] = await Promise.all([
    workflowLabels(c.env.DB, [run.workflowId]),
    inbox ? isDismissed(c.env.DB, run.id) : Promise.resolve(true),
    // The version it ran: a step with no templates has its config as written there.
    getWorkflowVersion(c.env.DB, run.workflowId, run.workflowVersion),
  ])
  const path = runPath(run.id)
  const label = labels.get(run.workflowId)
  // A deleted workflow's runs can be read, not run again (the API answers 409).
  const current = label?.exists ? label.version : undefined
  const actions = (
    <>
      {inbox && current !== undefined ? (
        <PostButton action={`${path}/resume`} primary>
          Resume from the failed step on v{run.workflowVersion}
          {current === run.workflowVersion ? ' (current)' : ' (as it ran)'}
        </PostButton>
      ) : null}
      {inbox && current !== undefined && current !== run.workflowVersion ? (
        <PostButton action={`${path}/resume`} fields={{ version: 'current' }}>
          Resume from the failed step on v{current} (current)
        </PostButton>
      ) : null}
      {current !== undefined ? (
        <PostButton action={`${path}/replay`}>
          {current === run.workflowVersion ? 'Replay' : `Replay on v${current} (current)`}
        </PostButton>
      ) : null}
      {current !== undefined && current !== run.workflowVersion ? (
        <PostButton action={`${path}/replay`} fields={{ version: 'original' }}>
          Replay on v{run.workflowVersion} (as it ran)
        </PostButton>
      ) : null}
      {!dismissed ? <PostButton action={`${path}/dismiss`}>Dismiss from inbox</PostButton> : null}
    </>
  )
  return render(
    c,
    <RunPage run={run} workflow={label} actions={actions} nodes={definition?.nodes} />,
  )
})

/** Replay and resume start a new run through the API and show it. */
for (const action of ['replay', 'resume'] as const) {
  runPages.post(`/:id/${action}`, async (c) => {
    const id = c.req.param('id')
    const form = await c.req.parseBody()
    // Each action's other version: a replay runs the current one unless asked, a resume the
    // one the run ran on.
    const other = action === 'replay' ? 'original' : 'current'
    const query = form.version === other ? `?version=${other}` : ''
    const answer = await apiCall(c, 'POST', `/api/runs/${encodeURIComponent(id)}/${action}${query}`)
    if (answer.status === 404) return notFound(c, id)
    if (answer.status !== 202) {
      const message = answer.message ?? `The run could not be ${action}ed.`
      const title = action === 'resume' ? 'Not resumed' : 'Not replayed'
      const status = answer.status === 409 ? 409 : 400
      return render(c, <MessagePage title={title} message={message} signedIn />, status)
    }
    return c.redirect(runPath(answer.body.runId), 303)
  })
}

runPages.post('/:id/dismiss', async (c) => {
  const id = c.req.param('id')
  const run = await getRun(c.env.DB, id)
  if (!run) return notFound(c, id)
  await dismissRun(c.env.DB, id)
  const from = (await c.req.parseBody()).from
  return c.redirect(from === 'inbox' ? '/admin/inbox?done=dismissed' : runPath(id), 303)
})
