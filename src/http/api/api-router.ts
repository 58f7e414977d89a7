import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import type { RouteConfig } from '@hono/zod-openapi'
import type { MiddlewareHandler } from 'hono'
import type { Env } from '../../env'
import { validationError } from '../errors'
import { readJson } from './read-json'

/**
 * The one way to add an /api route (README "Adding an API route"): a router made here, routes
 * declared with `apiRoute()` and registered with `router.openapi(route, handler)`. The zod
 * schemas a route declares are the ones its request is validated with, and the same ones
 * GET /api/openapi.json is generated from, so the description cannot drift from the code.
 */
export function apiRouter() {
  return new OpenAPIHono<{ Bindings: Env }>({ defaultHook: throwValidationError })
}

// Where a bad field was, as the error's path prefix: `query.limit`, `params.id`; a body's own.
const PATH_PREFIX: Record<string, PropertyKey[]> = { query: ['query'], param: ['params'] }

/** Replaces zod-openapi's own 400 body with ours: `{ error: { code, message, details } }`. */
function throwValidationError(result: { success: boolean; error?: unknown; target: string }) {
  if (result.success) return
  const issues = (result.error as z.ZodError).issues
  throw validationError(issues, PATH_PREFIX[result.target] ?? [])
}

/**
 * `createRoute` with our conventions: every route answers errors in our shape, and a JSON body
 * is read by `readJson` first (1 MiB limit, our INVALID_JSON answers, any Content-Type), then
 * validated by zod-openapi against the declared schema.
 */
export function apiRoute<R extends RouteConfig>(route: R) {
  const body = route.request?.body
  const middleware = body ? [readJsonBody(body.required === false)] : []
  return createRoute({
    ...route,
    security: [{ adminToken: [] }],
    middleware: [...middleware, ...asArray(route.middleware)],
    responses: {
      ...route.responses,
      ...(route.request
        ? { 400: errorResponse('The request is invalid; details names each field') }
        : {}),
      401: errorResponse('No or wrong `Authorization: Bearer <ADMIN_TOKEN or an API token>`'),
      403: errorResponse("The API token's scopes lack the one this route needs (FORBIDDEN)"),
    },
  })
}

/** A JSON request body described by (and validated against) `schema`. */
export function jsonBody<S extends z.ZodType>(schema: S, options: { optional?: boolean } = {}) {
  return {
    required: !options.optional,
    content: { 'application/json': { schema } },
  }
}

export function jsonResponse<S extends z.ZodType>(description: string, schema: S) {
  return { description, content: { 'application/json': { schema } } }
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z
        .unknown()
        .optional()
        .meta({ description: 'for VALIDATION_FAILED: [{ path, message }], one per bad field' }),
    }),
  })
  .meta({ id: 'Error' })

export function errorResponse(description: string) {
  return jsonResponse(description, errorSchema)
}

/**
 * Reads the body as today's API always has (JSON whatever the Content-Type says, 1 MiB at most,
 * INVALID_JSON naming the problem) and hands it on as `application/json`, so zod-openapi's
 * validator checks it instead of skipping or refusing it over the header.
 */
function readJsonBody(optional: boolean): MiddlewareHandler {
  return async (c, next) => {
    const value = await readJson(c, optional)
    const headers = new Headers(c.req.raw.headers)
    headers.set('content-type', 'application/json')
    headers.delete('content-length')
    c.req.raw = new Request(c.req.raw.url, {
      method: c.req.raw.method,
      headers,
      body: JSON.stringify(value),
    })
    await next()
  }
}

function asArray<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value]
}
