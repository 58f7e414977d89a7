import { z } from 'zod'
import { type CredentialOf, defineService, secret } from './service'

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
  },
})

export const HTTP_CREDENTIAL_TYPES = ['http-bearer', 'http-basic', 'http-header'] as const

export type HttpCredential = CredentialOf<typeof http>

/** The header a generic HTTP credential adds to a request. */
export function authHeader(credential: HttpCredential): [name: string, value: string] {
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

/** RFC 7617 with UTF-8: btoa alone refuses anything outside Latin-1. */
function base64Utf8(text: string) {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}
