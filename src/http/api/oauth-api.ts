import { z } from '@hono/zod-openapi'
import { getCookie, setCookie } from 'hono/cookie'
import {
  START_TTL_MS,
  connectionDetails,
  disconnect,
  newBrowserToken,
  startConnect,
} from '../../credentials/oauth/connect'
import { CREDENTIAL_NAME } from '../../credentials/types'
import { BROWSER_COOKIE, CALLBACK_PATH, redirectUriFor } from '../oauth/redirect-uri'
import { apiRoute, apiRouter, errorResponse, jsonResponse } from './api-router'

/** Connect, disconnect and read an oauth2 credential's connection (issue 24). */
export const oauthApi = apiRouter()

const nameParam = z.object({
  name: z.string().regex(CREDENTIAL_NAME).meta({ example: 'my-gmail' }),
})
const notFound = errorResponse('No credential with this name')
const notOAuth = errorResponse('The credential is not an oauth2 one (CREDENTIAL_WRONG_TYPE)')

const connect = apiRoute({
  method: 'post',
  path: '/{name}/connect',
  summary:
    "Start connecting an oauth2 credential: open the answer's authorizeUrl in the same browser " +
    '(a short-lived cookie set on this answer binds the sign-in to it); good for 10 minutes, once',
  request: { params: nameParam },
  responses: {
    200: jsonResponse(
      'Where to send the browser, and the redirect URI to register at the provider',
      z.object({
        authorizeUrl: z.string(),
        redirectUri: z.string(),
        warning: z.string().optional(),
      }),
    ),
    404: notFound,
  },
})
oauthApi.openapi(connect, async (c) => {
  const { name } = c.req.valid('param')
  const redirect = redirectUriFor(c.env, c.req.url)
  // One value per browser: a second Connect started meanwhile (another credential) keeps working.
  const existing = getCookie(c, BROWSER_COOKIE)
  const browser = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : newBrowserToken()
  const started = await startConnect(c.env, name, redirect.uri, browser)
  setCookie(c, BROWSER_COOKIE, browser, {
    path: CALLBACK_PATH,
    httpOnly: true,
    // Lax, not Strict: the provider's redirect back is a cross-site top-level GET.
    sameSite: 'Lax',
    secure: true,
    maxAge: START_TTL_MS / 1000,
  })
  return c.json(
    {
      ...started,
      redirectUri: redirect.uri,
      ...(redirect.warning ? { warning: redirect.warning } : {}),
    },
    200,
  )
})

const connectionSchema = z
  .object({
    status: z.enum(['not_connected', 'connected', 'needs_reconnect']),
    account: z.string().optional(),
    scopes: z.array(z.string()).optional(),
    expiresAt: z.string().optional(),
    note: z.string().optional(),
  })
  .meta({ id: 'OAuthConnection' })

const read = apiRoute({
  method: 'get',
  path: '/{name}/connection',
  summary: "An oauth2 credential's connection: status, account, scopes and expiry; never a token",
  request: { params: nameParam },
  responses: {
    200: jsonResponse('The connection', connectionSchema),
    400: notOAuth,
    404: notFound,
  },
})
oauthApi.openapi(read, async (c) => {
  const { name } = c.req.valid('param')
  return c.json(await connectionDetails(c.env, name), 200)
})

const remove = apiRoute({
  method: 'delete',
  path: '/{name}/connection',
  summary:
    'Disconnect an oauth2 credential: the grant is revoked where the provider has a revocation ' +
    'endpoint (revoked: true), and the tokens are forgotten',
  request: { params: nameParam },
  responses: {
    200: jsonResponse('Disconnected', z.object({ revoked: z.boolean() })),
    400: notOAuth,
    404: notFound,
  },
})
oauthApi.openapi(remove, async (c) => {
  const { name } = c.req.valid('param')
  return c.json(await disconnect(c.env, name), 200)
})
