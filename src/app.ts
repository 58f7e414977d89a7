import { OpenAPIHono } from '@hono/zod-openapi'
import type { Env } from './env'
import { adminAuth } from './http/api/admin-auth'
import { adminPage } from './http/admin/routes/admin-routes'
import { provideApi } from './http/admin/routes/api-call'
import { credentialsApi } from './http/api/credentials-api'
import { encryptionKeyApi } from './http/api/encryption-key-api'
import { handleError, notFound } from './http/errors'
import { hooks } from './http/hooks/hooks'
import { resumeHooks } from './http/hooks/resume-hook'
import { memoryApi } from './http/api/memory-api'
import { nodesApi } from './http/api/nodes-api'
import { openApiDocument, openApiRoute } from './http/api/openapi-document'
import { previewApi } from './http/api/preview-api'
import { sampleApi } from './http/api/sample-api'
import { testStepApi } from './http/api/test-step-api'
import { runCopiesApi } from './http/api/run-copies-api'
import { runsApi } from './http/api/runs-api'
import { securityHeaders } from './http/secure-headers'
import { workflowsApi } from './http/api/workflows-api'
import { originOf } from './http/origin'

// An OpenAPIHono, so the /api routers mounted below bring their route descriptions with them.
export const app = new OpenAPIHono<{ Bindings: Env }>()

// First, so every answer carries them: errors and 404s included.
app.use('*', securityHeaders)
app.get('/healthz', (c) => c.json({ ok: true }))
app.route('/hooks/resume', resumeHooks)
app.route('/hooks', hooks)
// The pages change things through the API itself; they get its fetch here instead of importing
// this file, which imports them.
app.use('/admin/*', provideApi(app.fetch))
app.route('/admin', adminPage)

app.use('/api/*', adminAuth)
app.route('/api/nodes', nodesApi)
app.route('/api/workflows', workflowsApi)
app.route('/api/workflows', previewApi)
app.route('/api/workflows', sampleApi)
app.route('/api/workflows', testStepApi)
app.route('/api/workflows', memoryApi)
app.route('/api/runs', runsApi)
app.route('/api/runs', runCopiesApi)
app.route('/api/credentials', credentialsApi)
app.route('/api/encryption-key', encryptionKeyApi)
app.openapi(openApiRoute, (c) => c.json(openApiDocument(app, originOf(c)), 200))

app.get('/', (c) => c.redirect('/admin'))
app.notFound(notFound)
app.onError(handleError)
