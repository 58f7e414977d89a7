import { Hono } from 'hono'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { Env } from '../../env'
import { workflowLabels } from '../../store/admin-queries'
import { getRun } from '../../store/runs'
import { getWorkflow, listWorkflows } from '../../store/workflows'
import { publicWorkflow } from '../workflows-api'
import { DashboardPage } from './dashboard-page'
import { loadRuns } from './load-runs'
import { MessagePage } from './message-page'
import { pageHeaders } from './page-headers'
import { RunPage } from './run-page'
import { isCrossSitePost } from './same-origin'
import { requireSession, signIn } from './sign-in'
import { WorkflowPage } from './workflow-page'

type AdminContext = Context<{ Bindings: Env }>

export const adminPage = new Hono<{ Bindings: Env }>()

const origin = (c: AdminContext) => new URL(c.req.url).origin

adminPage.use('*', pageHeaders)

adminPage.use('*', async (c, next) => {
  if (!isCrossSitePost(c.req.raw)) return next()
  const message = 'This form was posted from another site, so it was refused.'
  return c.html(<MessagePage title="Forbidden" message={message} />, 403)
})

// /admin/ and /admin/runs/x/ are the same pages as without the slash, which the links use.
adminPage.get('*', async (c, next) => {
  const url = new URL(c.req.url)
  if (!url.pathname.endsWith('/')) return next()
  return c.redirect(url.pathname.replace(/\/+$/, '') + url.search, 301)
})

adminPage.route('/', signIn)
adminPage.use('*', requireSession)

adminPage.get('/', async (c) => {
  const [workflows, runs] = await Promise.all([
    listWorkflows(c.env.DB),
    loadRuns(c.env.DB, c.req.query()),
  ])
  const listed = workflows.map((w) => ({
    ...w,
    webhookUrl: publicWorkflow(w, origin(c)).webhookUrl,
  }))
  return c.html(<DashboardPage workflows={listed} runs={runs} origin={origin(c)} />)
})

adminPage.get('/runs/:id', async (c) => {
  const run = await getRun(c.env.DB, c.req.param('id'))
  if (!run) return notFound(c, `No run has the id ${c.req.param('id')}.`)
  const labels = await workflowLabels(c.env.DB, [run.workflowId])
  return c.html(<RunPage run={run} workflow={labels.get(run.workflowId)} />)
})

adminPage.get('/workflows/:id', async (c) => {
  const id = c.req.param('id')
  const workflow = await getWorkflow(c.env.DB, id)
  if (!workflow) return notFound(c, `No workflow has the id ${id}; it may have been deleted.`)
  const runs = await loadRuns(c.env.DB, { ...c.req.query(), workflowId: id })
  const webhookUrl = publicWorkflow(workflow, origin(c)).webhookUrl
  return c.html(<WorkflowPage workflow={workflow} webhookUrl={webhookUrl} runs={runs} />)
})

adminPage.all('*', (c) => notFound(c, `There is no admin page at ${c.req.path}.`))

adminPage.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse()
  console.error(
    JSON.stringify({
      event: 'admin_page_error',
      path: c.req.path,
      message: error.message,
      stack: error.stack,
    }),
  )
  const message = 'Something went wrong on our side; the error is in the Worker logs.'
  return c.html(<MessagePage title="Error" message={message} />, 500)
})

function notFound(c: AdminContext, message: string) {
  return c.html(<MessagePage title="Not found" message={message} signedIn />, 404)
}
