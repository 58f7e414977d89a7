import { Hono } from 'hono'
import type { Env } from './env'
import { adminAuth } from './http/admin-auth'
import { adminPage } from './http/admin-page'
import { handleError, notFound } from './http/errors'
import { hooks } from './http/hooks'
import { nodesApi } from './http/nodes-api'
import { runsApi } from './http/runs-api'
import { workflowsApi } from './http/workflows-api'

export const app = new Hono<{ Bindings: Env }>()

app.get('/healthz', (c) => c.json({ ok: true }))
app.route('/hooks', hooks)
app.route('/admin', adminPage)

app.use('/api/*', adminAuth)
app.route('/api/nodes', nodesApi)
app.route('/api/workflows', workflowsApi)
app.route('/api/runs', runsApi)

app.get('/', (c) => c.redirect('/admin'))
app.notFound(notFound)
app.onError(handleError)
