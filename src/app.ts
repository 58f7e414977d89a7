import { OpenAPIHono } from '@hono/zod-openapi'
import type { Env } from './env'
import { apiAuth } from './http/api/admin-auth'
import { adminPage } from './http/admin/routes/admin-routes'
import { provideApi } from './http/admin/routes/api-call'
import { credentialsApi } from './http/api/credentials-api'
import { oauthApi } from './http/api/oauth-api'
import { oauthCallback } from './http/oauth/callback'
import { encryptionKeyApi } from './http/api/encryption-key-api'
import { handleError, notFound } from './http/errors'
import { hooks } from './http/hooks/hooks'
import { resumeHooks } from './http/hooks/resume-hook'
import { memoryApi } from './http/api/memory-api'
import { pollsApi } from './http/api/polls-api'
import { triggersApi } from './http/api/triggers-api'
import { nodesApi } from './http/api/nodes-api'
import { notionVerificationApi } from './http/api/notion-verification-api'
import { openApiDocument, openApiRoute } from './http/api/openapi-document'
import { previewApi } from './http/api/preview-api'
import { sampleApi } from './http/api/sample-api'
import { draftsApi } from './http/api/drafts-api'
import { testStepApi } from './http/api/test-step-api'
import { stepTestsApi } from './http/api/step-tests-api'
import { runCopiesApi } from './http/api/run-copies-api'
import { runsApi } from './http/api/runs-api'
import { securityHeaders } from './http/secure-headers'
import { workflowsApi } from './http/api/workflows-api'
import { tokensApi } from './http/api/tokens-api'
import { originOf } from './http/origin'
import { mcpEndpoint } from './http/mcp/mcp-endpoint'

// An OpenAPIHono, so the /api routers mounted below bring their route descriptions with them.
export const app = new OpenAPIHono<{ Bindings: Env }>()

// First, so every answer carries them: errors and 404s included.
app.use('*', securityHeaders)
app.get('/healthz', (c) => c.json({ ok: true }))
app.route('/hooks/resume', resumeHooks)
app.route('/hooks', hooks)
// Public: a provider sends the browser back here; the one-time state bound to its cookie admits it.
app.route('/oauth', oauthCallback)
// The pages change things through the API itself; they get its fetch here instead of importing
// this file, which imports them.
app.use('/admin/*', provideApi(app.fetch))
app.route('/admin', adminPage)

app.use('/api/*', apiAuth)
app.route('/api/nodes', nodesApi)
app.route('/api/workflows', workflowsApi)
app.route('/api/workflows', previewApi)
app.route('/api/workflows', sampleApi)
app.route('/api/workflows', draftsApi)
app.route('/api/workflows', testStepApi)
app.route('/api/workflows', stepTestsApi)
app.route('/api/workflows', memoryApi)
app.route('/api/workflows', notionVerificationApi)
app.route('/api/workflows', pollsApi)
app.route('/api/triggers', triggersApi)
app.route('/api/runs', runsApi)
app.route('/api/runs', runCopiesApi)
app.route('/api/credentials', credentialsApi)
app.route('/api/credentials', oauthApi)
app.route('/api/encryption-key', encryptionKeyApi)
app.route('/api/tokens', tokensApi)
app.openapi(openApiRoute, (c) => c.json(openApiDocument(app, originOf(c)), 200))

// AI agents: the MCP server, with the same bearer auth as /api (src/http/mcp/mcp-endpoint.ts).
app.all('/mcp', mcpEndpoint(app.fetch))

app.get('/', (c) => c.redirect('/admin'))
app.notFound(notFound)
app.onError(handleError)
