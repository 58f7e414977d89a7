import type { Credential } from '../credentials/types'

export const HTTP_CREDENTIAL_TYPES = ['http-bearer', 'http-basic', 'http-header'] as const

export type HttpCredential = Credential<(typeof HTTP_CREDENTIAL_TYPES)[number]>

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
