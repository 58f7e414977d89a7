import { Hono } from 'hono'
import type { AdminEnv } from '../admin-env'
import { apiCall } from './api-call'
import { MessagePage } from '../pages/message-page'
import { render } from '../components/page-context'

// The workflow page's Polling card posts here (mounted under /admin/workflows); the poll goes
// through POST /api/workflows/:id/poll[/reset], so the page and the API cannot differ.
export const pollPages = new Hono<AdminEnv>()

const pathOf = (id: string) => `/admin/workflows/${encodeURIComponent(id)}`

pollPages.post('/:id/poll', async (c) => {
  const id = c.req.param('id')
  const result = await apiCall(c, 'POST', `/api/workflows/${encodeURIComponent(id)}/poll`)
  if (result.status === 200) {
    const report = result.body as { found: number; started: unknown[]; baseline: boolean }
    // Numbers only in the link: the page words them (workflow-routes.tsx).
    const query = `done=${report.baseline ? 'polled-baseline' : 'polled'}&found=${report.found}&started=${report.started.length}`
    return c.redirect(`${pathOf(id)}?${query}#poll`, 303)
  }
  const message = result.message ?? 'The poll failed.'
  return render(c, <MessagePage title="Poll failed" message={message} signedIn />, 400)
})

pollPages.post('/:id/poll/reset', async (c) => {
  const id = c.req.param('id')
  const result = await apiCall(c, 'POST', `/api/workflows/${encodeURIComponent(id)}/poll/reset`)
  if (result.status === 200) return c.redirect(`${pathOf(id)}?done=baseline-reset#poll`, 303)
  const message = result.message ?? 'The API refused it.'
  return render(c, <MessagePage title="Not done" message={message} signedIn />, 400)
})
