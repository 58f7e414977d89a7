import { Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'

export const builderPages = new Hono<AdminEnv>()

/**
 * The form editor's live preview: POST /api/workflows/preview behind the session. The page sends
 * a form (its CSRF token and `body`, the JSON), since the CSRF guard reads forms; the answer is the
 * API's own JSON.
 */
builderPages.post('/preview', async (c) => {
  const body = (await c.req.parseBody()).body
  const answer = await apiCall(
    c,
    'POST',
    '/api/workflows/preview',
    typeof body === 'string' ? body : '',
  )
  return c.json(answer.body, answer.status as ContentfulStatusCode)
})

/** The sample panel's "Pin this payload": PUT /api/workflows/:id/sample behind the session. */
builderPages.post('/:id/sample', async (c) => {
  const body = (await c.req.parseBody()).body
  const path = `/api/workflows/${encodeURIComponent(c.req.param('id'))}/sample`
  const answer = await apiCall(c, 'PUT', path, typeof body === 'string' ? body : '')
  return c.json(answer.body, answer.status as ContentfulStatusCode)
})

/** "Test this step": POST /api/workflows/:id/test-step behind the session. */
builderPages.post('/:id/test-step', async (c) => {
  const body = (await c.req.parseBody()).body
  const path = `/api/workflows/${encodeURIComponent(c.req.param('id'))}/test-step`
  const answer = await apiCall(c, 'POST', path, typeof body === 'string' ? body : '')
  return c.json(answer.body, answer.status as ContentfulStatusCode)
})
