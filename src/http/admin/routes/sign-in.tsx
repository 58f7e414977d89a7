import { Hono } from 'hono'
import type { MiddlewareHandler } from 'hono'
import type { Env } from '../../../env'
import { AutomateError } from '../../../errors'
import { adminTokenProblem } from '../../admin-token'
import { clientOf, recordFailure, throttledFor } from '../../auth-throttle'
import { readLimited } from '../../read-limited'
import { LoginPage } from '../pages/login-page'
import { endSession, isSignedIn, startSession, tokenMatches } from './session'

export const signIn = new Hono<{ Bindings: Env }>()

signIn.post('/login', async (c) => {
  const client = clientOf(c.req.raw)
  const wait = throttledFor(client)
  if (wait > 0) {
    const seconds = Math.ceil(wait / 1000)
    c.header('Retry-After', String(seconds))
    const error = `Too many wrong tokens from here; try again in ${seconds} s.`
    return c.html(<LoginPage error={error} configured={!!c.env.ADMIN_TOKEN} />, 429)
  }
  const form = await readSignInForm(c.req.raw)
  if (!form) {
    const error = `That sign-in form is over ${MAX_SIGN_IN_BYTES} bytes; send only the token.`
    return c.html(<LoginPage error={error} configured={!!c.env.ADMIN_TOKEN} />, 413)
  }
  const token = (form.get('token') ?? '').trim()
  const next = safeNext(form.get('next'))
  if (!(await tokenMatches(c, token))) {
    if (token) recordFailure(client)
    const error = adminTokenProblem(c.env)?.message ?? 'That token is not right.'
    const page = <LoginPage error={error} next={next} configured={!!c.env.ADMIN_TOKEN} />
    return c.html(page, 401)
  }
  await startSession(c)
  return c.redirect(next ?? '/admin', 303)
})

signIn.post('/logout', async (c) => {
  await endSession(c)
  return c.redirect('/admin', 303)
})

signIn.get('/login', async (c) =>
  (await isSignedIn(c))
    ? c.redirect('/admin', 303)
    : c.html(<LoginPage error={tokenTooShort(c.env)} configured={!!c.env.ADMIN_TOKEN} />),
)

// Every other page: the login form in place of the page, which it then returns to.
export const requireSession: MiddlewareHandler<{ Bindings: Env }> = async (c, next) => {
  if (await isSignedIn(c)) return next()
  const url = new URL(c.req.url)
  const returnTo = url.pathname === '/admin' && !url.search ? undefined : url.pathname + url.search
  const page = (
    <LoginPage
      next={safeNext(returnTo)}
      error={tokenTooShort(c.env)}
      configured={!!c.env.ADMIN_TOKEN}
    />
  )
  return c.html(page, 401)
}

/** A set but unusable token, said on the login page (an unset one has its own notice there). */
function tokenTooShort(env: Env) {
  return env.ADMIN_TOKEN ? adminTokenProblem(env)?.message : undefined
}

/** The sign-in form holds a token and a path: a few KiB is plenty, and nothing more is read. */
export const MAX_SIGN_IN_BYTES = 8 * 1024

async function readSignInForm(request: Request): Promise<URLSearchParams | undefined> {
  try {
    return new URLSearchParams(
      new TextDecoder().decode(await readLimited(request, MAX_SIGN_IN_BYTES)),
    )
  } catch (error) {
    if (error instanceof AutomateError && error.status === 413) return undefined
    throw error
  }
}

/** Only a path under /admin: anything else would make the login form an open redirect. */
function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  return /^\/admin(?:[/?][\w\-./?=&%~]*)?$/.test(value) ? value : undefined
}
