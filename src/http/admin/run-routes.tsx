import { Hono } from 'hono'
import type { Context } from 'hono'
import { workflowLabels } from '../../store/admin-queries'
import { dismissRun, isDismissed } from '../../store/inbox'
import { getRun } from '../../store/runs'
import { listWorkflows } from '../../store/workflows'
import type { AdminEnv } from './admin-env'
import { apiCall } from './api-call'
import { apiHas } from './api-routes'
import { loadRuns, parseFilter } from './load-runs'
import { MessagePage } from './message-page'
import { render } from './page-context'
import { PostButton } from './post-button'
import { RunPage } from './run-page'
import { RunsPage } from './runs-page'

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
  const run = await getRun(c.env.DB, id)
  if (!run) return notFound(c, id)
  const [labels, canReplay, canResume, dismissed] = await Promise.all([
    workflowLabels(c.env.DB, [run.workflowId]),
    apiHas('POST', '/api/runs/:id/replay'),
    apiHas('POST', '/api/runs/:id/resume'),
    run.status === 'failed' ? isDismissed(c.env.DB, run.id) : Promise.resolve(true),
  ])
  const path = runPath(run.id)
  const actions = (
    <>
      {canResume && run.status === 'failed' ? (
        <PostButton action={`${path}/resume`} primary>
          Resume from the failed step
        </PostButton>
      ) : null}
      {canReplay ? <PostButton action={`${path}/replay`}>Replay</PostButton> : null}
      {!dismissed ? <PostButton action={`${path}/dismiss`}>Dismiss from inbox</PostButton> : null}
    </>
  )
  return render(c, <RunPage run={run} workflow={labels.get(run.workflowId)} actions={actions} />)
})

/** Replay and resume start a new run through the API and show it. */
for (const action of ['replay', 'resume'] as const) {
  runPages.post(`/:id/${action}`, async (c) => {
    const id = c.req.param('id')
    const answer = await apiCall(c, 'POST', `/api/runs/${encodeURIComponent(id)}/${action}`)
    if (answer.status === 404) return notFound(c, id)
    if (answer.status !== 202) {
      const message = answer.message ?? `The run could not be ${action}ed.`
      return render(c, <MessagePage title="Not started" message={message} signedIn />, 400)
    }
    // A failed run that was resumed is dealt with: it leaves the inbox.
    if (action === 'resume') await dismissRun(c.env.DB, id)
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
