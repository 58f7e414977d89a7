import { Hono } from 'hono'
import type { Context } from 'hono'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'
import { MessagePage } from '../pages/message-page'
import { render } from '../components/page-context'

// The workflow page's Memory card posts here (mounted under /admin/workflows); the change goes
// through DELETE /api/workflows/:id/memory[/:key], so the page and the API cannot differ.
export const memoryPages = new Hono<AdminEnv>()

const pathOf = (id: string) => `/admin/workflows/${encodeURIComponent(id)}`

function answer(c: Context<AdminEnv>, id: string, status: number, done: string, message?: string) {
  if (status === 204 || status === 200) return c.redirect(`${pathOf(id)}?done=${done}#memory`, 303)
  // A key already gone (deleted elsewhere, or expired) is what the button asked for.
  if (status === 404 && done === 'memory-deleted')
    return c.redirect(`${pathOf(id)}?done=${done}#memory`, 303)
  const text = message ?? 'The API refused it.'
  return render(
    c,
    <MessagePage title="Not done" message={text} signedIn />,
    status === 404 ? 404 : 400,
  )
}

memoryPages.post('/:id/memory/delete', async (c) => {
  const id = c.req.param('id')
  const key = (await c.req.parseBody()).key
  if (typeof key !== 'string' || key === '') return answer(c, id, 400, '', 'No key was given.')
  const path = `/api/workflows/${encodeURIComponent(id)}/memory/${encodeURIComponent(key)}`
  const result = await apiCall(c, 'DELETE', path)
  return answer(c, id, result.status, 'memory-deleted', result.message)
})

memoryPages.post('/:id/memory/clear', async (c) => {
  const id = c.req.param('id')
  const result = await apiCall(c, 'DELETE', `/api/workflows/${encodeURIComponent(id)}/memory`)
  return answer(c, id, result.status, 'memory-cleared', result.message)
})
