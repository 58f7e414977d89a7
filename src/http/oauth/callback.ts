import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { getCookie } from 'hono/cookie'
import type { Env } from '../../env'
import { finishConnect } from '../../credentials/oauth/connect'
import { AutomateError } from '../../errors'
import { logEvent } from '../../lib/log-event'
import { BROWSER_COOKIE } from './redirect-uri'

/**
 * GET /oauth/callback: where a provider sends the browser back after consent. Public (the
 * provider's redirect carries no admin token): the state, used once and bound to the browser's
 * cookie, is what admits it. Either way the browser goes back to the credential's page, which
 * says "Connected as …" or what went wrong, in words.
 */
export const oauthCallback = new Hono<{ Bindings: Env }>()

const MAX_WORDS = 600

oauthCallback.get('/callback', async (c) => {
  const params = new URL(c.req.url).searchParams
  try {
    const { credential } = await finishConnect(c.env, params, getCookie(c, BROWSER_COOKIE))
    return back(c, `/admin/credentials/${encodeURIComponent(credential)}?connected=1`, 'Connected.')
  } catch (error) {
    if (!(error instanceof AutomateError)) throw error
    logEvent('warn', 'oauth.callback_refused', { code: error.code, message: error.message })
    const credential = (error.details as { credential?: string } | undefined)?.credential
    const page = credential
      ? `/admin/credentials/${encodeURIComponent(credential)}`
      : '/admin/credentials'
    const words = error.message.slice(0, MAX_WORDS)
    return back(c, `${page}?problem=${encodeURIComponent(words)}`, words, 400)
  }
})

/**
 * A page that moves on to the admin page, rather than a redirect: after the provider's
 * cross-site redirect, a redirect would arrive cross-site too, without the admin session's
 * SameSite=Strict cookie; a navigation from this page is same-site and keeps it.
 */
function back(c: Context, to: string, words: string, status: 200 | 400 = 200) {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta http-equiv="refresh" content="0;url=${to}" />
          <title>AutomateOS</title>
        </head>
        <body>
          <p>${words}</p>
          <p><a id="back" href="${to}">Back to AutomateOS</a></p>
        </body>
      </html>`,
    status,
  )
}
