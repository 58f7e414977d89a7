import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { admin, createWorkflow, waitForRun } from '../../../test/helpers'
import { app } from '../../app'
import { runSchema } from './runs-api'
import { storedWorkflowSchema } from './workflows-api'

type Document = {
  openapi: string
  paths: Record<string, Record<string, { requestBody?: unknown; responses: object }>>
  components: { schemas: Record<string, { required?: string[]; properties?: object }> }
}

async function openApi() {
  const response = await admin('/api/openapi.json')
  expect(response.status).toBe(200)
  return (await response.json()) as Document
}

/** Every method + path the app routes under /api, as OpenAPI writes paths: /api/runs/{id}. */
function apiRoutes() {
  const routes = new Set<string>()
  for (const { method, path } of app.routes) {
    if (method === 'ALL' || !path.startsWith('/api/')) continue
    const openApiPath = path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')
    routes.add(`${method} ${openApiPath}`)
  }
  return [...routes]
}

describe('GET /api/openapi.json', () => {
  it('needs the admin token', async () => {
    const response = await SELF.fetch('http://automateos.test/api/openapi.json')
    expect(response.status).toBe(401)
  })

  it('describes every /api route the app serves', async () => {
    const document = await openApi()
    const routes = apiRoutes()
    expect(routes.length).toBeGreaterThan(5)
    const missing = routes.filter((route) => {
      const [method, path] = route.split(' ') as [string, string]
      return !document.paths[path]?.[method.toLowerCase()]
    })
    expect(
      missing,
      `These /api routes are not in GET /api/openapi.json: ${missing.join(', ')}.\n` +
        'Declare each with apiRoute({ method, path, request, responses }) from ' +
        'src/http/api/api-router.ts and register it with router.openapi(route, handler) on a router ' +
        'made by apiRouter(), not with router.get/post(...): the request schemas you declare are ' +
        'the ones the route validates with and the ones this document is generated from. ' +
        'See README "Adding an API route"; src/http/api/runs-api.ts is a short example.',
    ).toEqual([])
  })

  it('describes the workflow format from the schema requests are validated with', async () => {
    const document = await openApi()
    expect(document.openapi).toBe('3.1.0')
    const workflow = document.components.schemas.Workflow!
    expect(workflow.required).toEqual(['name', 'nodes'])
    expect(Object.keys(workflow.properties!)).toEqual([
      'name',
      'enabled',
      'trigger',
      'onError',
      'mcp',
      'nodes',
    ])
    const create = document.paths['/api/workflows']!.post!
    expect(JSON.stringify(create.requestBody)).toContain('#/components/schemas/Workflow')
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403']),
    )
  })

  it('keeps our error shape for a bad query and a bad body (no zod-openapi default answer)', async () => {
    const query = await admin('/api/runs?limit=0&status=lost')
    expect(query.status).toBe(400)
    const body = (await query.json()) as { error: { code: string; details: { path: string }[] } }
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['query.limit', 'query.status'])

    const empty = await admin('/api/workflows', { method: 'POST' })
    expect(empty.status).toBe(400)
    expect(((await empty.json()) as { error: { code: string } }).error.code).toBe('INVALID_JSON')
  })

  it('reads a JSON body whatever its Content-Type, as the API always has', async () => {
    const response = await admin('/api/workflows', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({
        name: 'Plain',
        nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
      }),
    })
    expect(response.status).toBe(201)
  })

  it('describes what the API answers: a stored workflow and a run match their schemas', async () => {
    const workflow = await createWorkflow({
      name: 'Described',
      nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
    })
    expect(storedWorkflowSchema.safeParse(workflow).error).toBeUndefined()
    const started = await admin(`/api/workflows/${workflow.id}/runs`, { method: 'POST' })
    const { runId } = (await started.json()) as { runId: string }
    await waitForRun(runId)
    const run = await (await admin(`/api/runs/${runId}`)).json()
    expect(runSchema.strict().safeParse(run).error).toBeUndefined()
  })
})
