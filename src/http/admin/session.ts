import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import type { Env } from '../../env'
import { secretsEqual } from '../../lib/ids'
import { adminTokenProblem } from '../admin-token'

type AdminContext = Context<{ Bindings: Env }>

export const SESSION_COOKIE = 'automateos_admin'
// Versioned so that a change to the session format can end every old session at once.
const SESSION_PURPOSE = 'automateos admin session v1'
const SESSION_MAX_AGE_SECONDS = 7 * 24 * 3600

// The settled value, not a promise: a promise made in one request must not be awaited by another.
let memo: { token: string; value: string } | undefined

/**
 * What the cookie holds: an HMAC keyed by ADMIN_TOKEN, so the token never travels back to the
 * browser, nothing needs storing, and rotating the token ends every session.
 */
export async function sessionValue(token: string): Promise<string> {
  if (memo?.token !== token) memo = { token, value: await hmacHex(token, SESSION_PURPOSE) }
  return memo.value
}

async function hmacHex(key: string, message: string) {
  const encoder = new TextEncoder()
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export async function isSignedIn(c: AdminContext): Promise<boolean> {
  const token = c.env.ADMIN_TOKEN
  const cookie = getCookie(c, SESSION_COOKIE)
  if (!token || !cookie || adminTokenProblem(c.env)) return false
  return secretsEqual(cookie, await sessionValue(token))
}

/** Constant time, like the API's bearer check; an unset or too short ADMIN_TOKEN lets nobody in. */
export async function tokenMatches(c: AdminContext, candidate: string): Promise<boolean> {
  const token = c.env.ADMIN_TOKEN
  return !adminTokenProblem(c.env) && (await secretsEqual(candidate, token!))
}

export async function startSession(c: AdminContext) {
  setCookie(c, SESSION_COOKIE, await sessionValue(c.env.ADMIN_TOKEN!), {
    ...cookieOptions(c),
    maxAge: SESSION_MAX_AGE_SECONDS,
  })
}

export function endSession(c: AdminContext) {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c))
}

function cookieOptions(c: AdminContext) {
  return {
    path: '/admin',
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
  } as const
}
