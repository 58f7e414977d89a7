import { z } from 'zod'
import { clientCredentialsToken, forgetClientCredentialsToken } from './oauth2-client-credentials'
import { type CredentialOf, defineService, httpUrl, secret } from './service'
import { appendQuery } from './transport/append-query'
import { base64Utf8 } from './transport/base64-utf8'

/**
 * Any HTTP API, through the http-request node: the credential says how to authenticate. With no
 * service behind them, these credentials name their own baseUrl, the only place they are sent.
 */
export const http = defineService({
  name: 'HTTP',
  errorCode: 'HTTP_ERROR',
  credentials: {
    'http-bearer': { data: z.object({ token: secret() }).strict(), needsBaseUrl: true },
    'http-basic': {
      data: z.object({ username: z.string().max(1000), password: z.string().max(10_000) }).strict(),
      notSecret: ['username'],
      needsBaseUrl: true,
    },
    'http-header': {
      data: z
        .object({
          name: z
            .string()
            .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP header name'),
          value: secret(),
        })
        .strict(),
      notSecret: ['name'],
      needsBaseUrl: true,
    },
    // An API key in the query string (?api_key=…), for the APIs that take it nowhere else.
    'http-query': {
      data: z
        .object({
          name: z.string().min(1).max(100).describe('The query parameter, such as api_key'),
          value: secret(),
        })
        .strict(),
      notSecret: ['name'],
      needsBaseUrl: true,
    },
    // OAuth2's client credentials grant: a token fetched from tokenUrl, sent as a bearer token.
    'http-oauth2-client': {
      data: z
        .object({
          tokenUrl: httpUrl().describe("The authorization server's token endpoint"),
          clientId: z.string().min(1).max(1000),
          clientSecret: secret(),
          scope: z.string().max(2000).optional().describe('Space-separated scopes, if any'),
          audience: z
            .string()
            .max(2000)
            .optional()
            .describe('Sent as audience, if the server wants one'),
          clientAuth: z
            .enum(['basic', 'body'])
            .default('basic')
            .describe(
              'basic: HTTP Basic (client_secret_basic); body: in the form (client_secret_post)',
            ),
        })
        .strict(),
      notSecret: ['tokenUrl', 'clientId', 'scope', 'audience', 'clientAuth'],
      needsBaseUrl: true,
    },
  },
})

export const HTTP_CREDENTIAL_TYPES = [
  'http-bearer',
  'http-basic',
  'http-header',
  'http-query',
  'http-oauth2-client',
] as const

export type HttpCredential = CredentialOf<typeof http>

/** A request with its credential on: the URL to call, and the headers the credential set. */
export type Authenticated = { url: URL; credentialHeaders: string[] }

/**
 * Puts a generic HTTP credential on a request: a header (bearer, basic, custom, or an OAuth2
 * token fetched from the credential's own tokenUrl) or a query parameter appended to `url`.
 * The caller has already checked that `url` lies under the credential's baseUrl.
 */
export async function authenticate(
  credential: HttpCredential,
  url: URL,
  headers: Headers,
  signal?: AbortSignal,
): Promise<Authenticated> {
  if (credential.type === 'http-query') {
    return {
      url: appendQuery(url, { [credential.data.name]: credential.data.value }),
      credentialHeaders: [],
    }
  }
  if (credential.type === 'http-oauth2-client') {
    const token = await clientCredentialsToken(credential.name, credential.data, signal)
    headers.set('authorization', `Bearer ${token}`)
    return { url, credentialHeaders: ['authorization'] }
  }
  const [name, value] = authHeader(credential)
  headers.set(name, value)
  return { url, credentialHeaders: [name] }
}

/** After the API answered 401: a cached OAuth2 token is dropped, so the next attempt gets anew. */
export async function refused(credential: HttpCredential) {
  if (credential.type === 'http-oauth2-client') await forgetClientCredentialsToken(credential.data)
}

/** The header a generic HTTP credential that is a header adds to a request. */
export function authHeader(
  credential: Extract<HttpCredential, { type: 'http-bearer' | 'http-basic' | 'http-header' }>,
): [name: string, value: string] {
  switch (credential.type) {
    case 'http-bearer':
      return ['authorization', `Bearer ${credential.data.token}`]
    case 'http-basic':
      return [
        'authorization',
        `Basic ${base64Utf8(`${credential.data.username}:${credential.data.password}`)}`,
      ]
    case 'http-header':
      return [credential.data.name.toLowerCase(), credential.data.value]
  }
}
