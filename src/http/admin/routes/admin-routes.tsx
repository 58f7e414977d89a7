import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { estimateRunCost } from '../lib/run-cost'
import { logEvent } from '../../../lib/log-event'
import { workflowLabels } from '../../../store/admin-queries'
import { countInbox, listInbox, listReconnects } from '../../../store/inbox'
import { overview } from '../../../store/run-stats'
import { countWorkflows } from '../../../store/workflows'
import type { AdminEnv } from '../admin-env'
import { agentPages } from './agent-routes'
import { builderPages } from './builder-routes'
import { credentialPages } from './credential-routes'
import { csrfGuard } from './csrf-guard'
import { DashboardPage } from '../pages/dashboard-page'
import { InboxPage } from '../pages/inbox-page'
import { loadRuns } from '../lib/load-runs'
import { memoryPages } from './memory-routes'
import { pollPages } from './poll-routes'
import { MessagePage } from '../pages/message-page'
import { nodeCatalogue } from '../components/node-catalogue'
import { NodesPage } from '../pages/nodes-page'
import { render } from '../components/page-context'
import { pageHeaders } from './page-headers'
import { runPages } from './run-routes'
import { isCrossSitePost } from './same-origin'
import { requireSession, signIn } from './sign-in'
import { workflowPages } from './workflow-routes'

export const adminPage = new Hono<AdminEnv>()

adminPage.use('*', pageHeaders)

adminPage.use('*', async (c, next) => {
  if (!isCrossSitePost(c.req.raw)) return next()
  const message = 'This form was posted from another site, so it was refused.'
  return render(c, <MessagePage title="Forbidden" message={message} />, 403)
})

// /admin/ and /admin/runs/x/ are the same pages as without the slash, which the links use.
adminPage.get('*', async (c, next) => {
  const url = new URL(c.req.url)
  if (!url.pathname.endsWith('/')) return next()
  return c.redirect(url.pathname.replace(/\/+$/, '') + url.search, 301)
})

adminPage.route('/', signIn)
adminPage.use('*', requireSession)
adminPage.use('*', csrfGuard)

adminPage.get('/', async (c) => {
  const now = Date.now()
  const [stats, runs, workflowCount, inboxCount] = await Promise.all([
    overview(c.env.DB, now),
    loadRuns(c.env.DB, {}, { limit: 10 }),
    countWorkflows(c.env.DB),
    countInbox(c.env.DB, now),
  ])
  const cost = estimateRunCost(stats.runs, stats.steps)
  return render(
    c,
    <DashboardPage
      overview={stats}
      cost={cost}
      runs={runs}
      workflowCount={workflowCount}
      inboxCount={inboxCount}
    />,
  )
})

adminPage.route('/workflows', builderPages)
adminPage.route('/workflows', workflowPages)
adminPage.route('/workflows', memoryPages)
adminPage.route('/workflows', pollPages)
adminPage.route('/runs', runPages)
adminPage.route('/credentials', credentialPages)
adminPage.route('/agents', agentPages)

adminPage.get('/inbox', async (c) => {
  const cursor = c.req.query('cursor') || undefined
  const [{ runs, nextCursor }, reconnects] = await Promise.all([
    listInbox(c.env.DB, { cursor }),
    listReconnects(c.env.DB),
  ])
  const labels = await workflowLabels(
    c.env.DB,
    runs.map((r) => r.workflowId),
  )
  const notice = c.req.query('done') === 'dismissed' ? 'Dismissed.' : undefined
  return render(
    c,
    <InboxPage
      runs={runs}
      reconnects={reconnects}
      labels={labels}
      cursor={cursor}
      nextCursor={nextCursor}
      notice={notice}
    />,
  )
})

adminPage.get('/nodes', (c) => render(c, <NodesPage entries={nodeCatalogue()} />))

adminPage.all('*', (c) => {
  const message = `There is no admin page at ${c.req.path}.`
  return render(c, <MessagePage title="Not found" message={message} signedIn />, 404)
})

adminPage.onError((error, c) => {
  if (error instanceof HTTPException) return error.getResponse()
  logEvent('error', 'admin_page_error', {
    path: c.req.path,
    message: error.message,
    stack: error.stack,
  })
  const message = 'Something went wrong on our side; the error is in the Worker logs.'
  return render(c, <MessagePage title="Error" message={message} />, 500)
})
