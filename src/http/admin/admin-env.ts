import type { ExecutionContext } from 'hono'
import type { Env } from '../../env'

/** The app's own fetch: the admin pages reach the API through it, in-process. */
export type ApiFetch = (
  request: Request,
  env: Env,
  ctx: ExecutionContext,
) => Response | Promise<Response>

/** The admin pages' Hono environment: the request's script nonce and form token ride along. */
export type AdminEnv = {
  Bindings: Env
  Variables: {
    /** The CSP nonce of this response's <script> tags. */
    nonce: string
    /** The CSRF token every form of a signed-in page carries. */
    csrf: string
    /**
     * Set by src/app.ts, which mounts both the API and these pages: given here rather than
     * imported, so the pages do not import the app that imports them.
     */
    api: ApiFetch
  }
}
