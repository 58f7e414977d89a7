import { z } from '@hono/zod-openapi'
import type { OpenAPIHono } from '@hono/zod-openapi'
import { apiRoute, jsonResponse } from './api-router'

export const openApiRoute = apiRoute({
  method: 'get',
  path: '/api/openapi.json',
  summary: 'This description of the admin API (OpenAPI 3.1)',
  responses: {
    200: jsonResponse('The OpenAPI document', z.record(z.string(), z.unknown())),
  },
})

type AnyApp = OpenAPIHono<any, any, any>
let cached: ReturnType<AnyApp['getOpenAPI31Document']> | undefined

/**
 * Generated from the routes' own zod schemas, once per isolate (routes only change with a
 * deploy); the server URL is the one the document was asked for on.
 */
export function openApiDocument(app: AnyApp, origin: string) {
  if (!cached) {
    app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', {
      type: 'http',
      scheme: 'bearer',
      description:
        'The ADMIN_TOKEN secret (npm start writes it to .dev.vars), or an API token from POST ' +
        '/api/tokens, whose scopes (read, run, write, admin) say which routes it may call',
    })
    cached = app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'AutomateOS admin API',
        version: '1',
        description:
          'Errors are `{"error": {"code", "message", "details"?}}`; a validation error lists each bad field as `{ path, message }` in `details`. A workflow node\'s `config` is checked against its type\'s `configSchema` from GET /api/nodes.',
      },
    })
  }
  return { ...cached, servers: [{ url: origin }] }
}
