import { Hono } from 'hono'
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
    return c.redirect(`/admin/credentials/${encodeURIComponent(credential)}?connected=1`, 303)
  } catch (error) {
    if (!(error instanceof AutomateError)) throw error
    logEvent('warn', 'oauth.callback_refused', { code: error.code, message: error.message })
    const credential = (error.details as { credential?: string } | undefined)?.credential
    const page = credential ? `/admin/credentials/${encodeURIComponent(credential)}` : '/admin/credentials'
    const words = encodeURIComponent(error.message.slice(0, MAX_WORDS))
    return c.redirect(`${page}?problem=${words}`, 303)
  }
})
