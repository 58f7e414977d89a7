import type { MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { hmacHex } from '../../../lib/hmac'
import { secretsEqual } from '../../../lib/ids'
import type { AdminEnv } from '../admin-env'
import { MessagePage } from '../pages/message-page'
import { CSRF_FIELD } from '../components/csrf-field'
import { render } from '../components/page-context'
import { SESSION_COOKIE } from './session'

/**
 * A form token bound to the session cookie, so it needs no storage and dies with the session.
 * It backs up SameSite=Strict and the Sec-Fetch-Site / Origin check: a browser that sends
 * neither header (or an old one that ignores SameSite) still cannot be made to post a form.
 */
export const csrfGuard: MiddlewareHandler<AdminEnv> = async (c, next) => {
  const session = getCookie(c, SESSION_COOKIE) ?? ''
  const token = await hmacHex(c.env.ADMIN_TOKEN ?? '', `automateos admin form v1\n${session}`)
  c.set('csrf', token)
  if (c.req.method !== 'POST') return next()
  const form = await c.req.parseBody()
  const sent = form[CSRF_FIELD]
  if (typeof sent === 'string' && (await secretsEqual(sent, token))) return next()
  const message =
    'This form is out of date (it was opened before you last signed in). Go back, reload the page and send it again.'
  return render(c, <MessagePage title="Form expired" message={message} signedIn />, 403)
}
