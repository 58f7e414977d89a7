import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import type { Env } from '../../env'
import { LoginPage } from './login-page'
import { endSession, isSignedIn, startSession, tokenMatches } from './session'

export const signIn = new Hono<{ Bindings: Env }>()

signIn.post('/login', async (c) => {
  const form = await c.req.parseBody()
  const token = typeof form.token === 'string' ? form.token.trim() : ''
  const next = safeNext(form.next)
  if (!(await tokenMatches(c, token))) {
    const page = (
      <LoginPage error="That token is not right." next={next} configured={!!c.env.ADMIN_TOKEN} />
    )
    return c.html(page, 401)
  }
  await startSession(c)
  return c.redirect(next ?? '/admin', 303)
})

signIn.post('/logout', (c) => {
  endSession(c)
  return c.redirect('/admin', 303)
})

signIn.get('/login', async (c) =>
  (await isSignedIn(c))
    ? c.redirect('/admin', 303)
    : c.html(<LoginPage configured={!!c.env.ADMIN_TOKEN} />),
)

// Every other page: the login form in place of the page, which it then returns to.
export const requireSession: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (await isSignedIn(c)) return next()
  const url = new URL(c.req.url)
  const returnTo = url.pathname === '/admin' && !url.search ? undefined : url.pathname + url.search
  return c.html(<LoginPage next={safeNext(returnTo)} configured={!!c.env.ADMIN_TOKEN} />, 401)
}

/** Only a path under /admin: anything else would make the login form an open redirect. */
function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return /^\/admin(?:[/?][\w\-./?=&%~]*)?$/.test(value) ? value : undefined
}
