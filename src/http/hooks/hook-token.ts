import type { Context } from 'hono'
import type { Env } from '../../env'
import { isTokenHash, tokenMatches } from '../../lib/ids'
import type { StoredWorkflow } from '../../store/workflows'
import { upgradeHookTokens } from '../../store/workflows'

/**
 * The header a sender that can set one may carry the webhook token in, instead of the path:
 * `POST /hooks/<workflowId>` with `X-AutomateOS-Token: <token>`. A header stays out of URLs, and
 * so out of request logs, browser history and Referer.
 */
export const TOKEN_HEADER = 'x-automateos-token'

/** The token a delivery brings: in the path, else in the header; '' when neither. */
export const deliveredToken = (c: Context, fromPath: string | undefined) =>
  fromPath ?? c.req.header(TOKEN_HEADER) ?? ''

/**
 * Whether `token` opens this workflow's webhook. D1 keeps the token's hash; one still kept in
 * clear (a workflow from before migration 0014) is compared as it is, and stored hashed now.
 */
export async function hookTokenMatches(
  c: Context<{ Bindings: Env }>,
  workflow: Pick<StoredWorkflow, 'id' | 'hookTokenHash'>,
  token: string,
): Promise<boolean> {
  const stored = workflow.hookTokenHash
  if (!(await tokenMatches(token, stored))) return false
  if (!isTokenHash(stored)) {
    const upgrade = upgradeHookTokens(c.env.DB, { id: workflow.id, clear: stored })
    c.executionCtx.waitUntil(upgrade.catch(() => undefined))
  }
  return true
}
