import type { Env } from '../env'
import { AutomateError } from '../errors'

/** 32 characters: `npm start` and `npm run deploy` make 43 (32 random bytes, base64url). */
export const MIN_ADMIN_TOKEN_LENGTH = 32

/**
 * Why this Worker cannot let anyone in, or undefined when its ADMIN_TOKEN is usable. A short
 * token could be guessed, so the admin API and page refuse to run with one: a Worker has no
 * start-up to abort, so every admin request gets this answer instead. It never quotes the token.
 */
export function adminTokenProblem(env: Env): AutomateError | undefined {
  const token = env.ADMIN_TOKEN
  if (!token) {
    return new AutomateError(
      'UNAUTHORIZED',
      'ADMIN_TOKEN is not set on this Worker (npm start writes it to .dev.vars; in production: wrangler secret put ADMIN_TOKEN)',
      { status: 401 },
    )
  }
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    return new AutomateError(
      'ADMIN_TOKEN_TOO_SHORT',
      `ADMIN_TOKEN is shorter than ${MIN_ADMIN_TOKEN_LENGTH} characters, so the admin API and page are disabled; set a longer one (e.g. openssl rand -base64 32) with wrangler secret put ADMIN_TOKEN, or in .dev.vars locally`,
      { status: 503 },
    )
  }
  return undefined
}
