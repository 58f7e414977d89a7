import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Env } from '../../../env'
import { hmacHex } from '../../../lib/hmac'
import { secretsEqual } from '../../../lib/ids'
import { deleteSession, insertSession, isLiveSession } from '../../../store/admin-sessions'
import { adminTokenProblem } from '../../admin-token'

type AdminContext = Context<{ Bindings: Env }>

export const SESSION_COOKIE = 'automateos_admin'
// Versioned so that a change to the session format can end every old session at once.
const SESSION_PURPOSE = 'automateos admin session v2'
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600

type Session = { id: string; issuedAt: number }

/**
 * The cookie: `<random id>.<issued at, seconds>.<HMAC of both keyed by ADMIN_TOKEN>`. The token
 * never travels back to the browser; the HMAC makes the id and time unforgeable, the server
 * checks the age itself (a browser's Max-Age is only a request), and the session's row in D1
 * is what signing out deletes. Rotating ADMIN_TOKEN ends every session.
 */
async function cookieValue(token: string, session: Session) {
  const body = `${session.id}.${session.issuedAt}`
  return `${body}.${await hmacHex(token, `${SESSION_PURPOSE}\n${body}`)}`
}

/** The session a cookie names, when its HMAC is right and it is not too old; not yet its row. */
async function readCookie(c: AdminContext, now: number): Promise<Session | undefined> {
  const token = c.env.ADMIN_TOKEN
  const cookie = getCookie(c, SESSION_COOKIE)
  if (!token || !cookie || adminTokenProblem(c.env)) return undefined
  const match = /^([A-Za-z0-9_-]{22})\.(\d{1,12})\.[0-9a-f]{64}$/.exec(cookie)
  if (!match) return undefined
  const session = { id: match[1]!, issuedAt: Number(match[2]) }
  if (!(await secretsEqual(cookie, await cookieValue(token, session)))) return undefined
  const age = Math.floor(now / 1000) - session.issuedAt
  // A minute of clock difference between isolates is tolerated; a future time is not otherwise.
  if (age < -60 || age >= SESSION_MAX_AGE_SECONDS) return undefined
  return session
}

export async function isSignedIn(c: AdminContext, now = Date.now()): Promise<boolean> {
  const session = await readCookie(c, now)
  if (!session) return false
  return isLiveSession(c.env.DB, session.id, now)
}

/** Constant time, like the API's bearer check; an unset or too short ADMIN_TOKEN lets nobody in. */
export async function tokenMatches(c: AdminContext, candidate: string): Promise<boolean> {
  const token = c.env.ADMIN_TOKEN
  return !adminTokenProblem(c.env) && (await secretsEqual(candidate, token!))
}

export async function startSession(c: AdminContext, now = Date.now()) {
  const session = { id: randomId(), issuedAt: Math.floor(now / 1000) }
  const expiresAt = (session.issuedAt + SESSION_MAX_AGE_SECONDS) * 1000
  await insertSession(c.env.DB, session.id, now, expiresAt)
  setCookie(c, SESSION_COOKIE, await cookieValue(c.env.ADMIN_TOKEN!, session), {
    ...cookieOptions,
    maxAge: SESSION_MAX_AGE_SECONDS,
  })
}

/** Signs out: the session's row goes, so the cookie is dead even where a copy of it survives. */
export async function endSession(c: AdminContext) {
  const session = await readCookie(c, Date.now())
  if (session) await deleteSession(c.env.DB, session.id)
  deleteCookie(c, SESSION_COOKIE, cookieOptions)
}

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

// Secure on every request: browsers treat http://localhost and 127.0.0.1 as secure contexts
// and keep a Secure cookie there, so local use works and no deployment can send it in clear.
const cookieOptions = {
  path: '/admin',
  httpOnly: true,
  sameSite: 'Strict',
  secure: true,
} as const
