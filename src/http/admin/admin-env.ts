import type { Env } from '../../env'

/** The admin pages' Hono environment: the request's script nonce and form token ride along. */
export type AdminEnv = {
  Bindings: Env
  Variables: {
    /** The CSP nonce of this response's <script> tags. */
    nonce: string
    /** The CSRF token every form of a signed-in page carries. */
    csrf: string
  }
}
