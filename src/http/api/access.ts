import type { ApiToken, Scope } from '../../store/api-tokens'
import { AutomateError } from '../../errors'

/** Who a request to /api or /mcp is: the Worker's ADMIN_TOKEN, or a scoped API token. */
export type Access = { kind: 'admin' } | { kind: 'token'; token: ApiToken }

declare module 'hono' {
  interface ContextVariableMap {
    access: Access
  }
}

export const ADMIN_ACCESS: Access = { kind: 'admin' }

export function hasScope(access: Access, scope: Scope): boolean {
  if (access.kind === 'admin') return true
  return access.token.scopes.includes('admin') || access.token.scopes.includes(scope)
}

/** Whether the token may start (and see as a tool) this workflow: its list, when it has one. */
export function mayRunWorkflow(access: Access, workflowId: string): boolean {
  if (access.kind === 'admin' || access.token.scopes.includes('admin')) return true
  return access.token.workflows === undefined || access.token.workflows.includes(workflowId)
}

export function missingScope(scope: Scope, what: string) {
  return new AutomateError(
    'FORBIDDEN',
    `This API token lacks the '${scope}' scope, which ${what} needs`,
    { status: 403, details: { scope } },
  )
}

/** Refuses a run of a workflow outside the token's list (the same 403 for every way in). */
export function assertMayRun(access: Access | undefined, workflowId: string) {
  if (!access || mayRunWorkflow(access, workflowId)) return
  throw new AutomateError(
    'FORBIDDEN',
    `This API token may not run workflow ${workflowId}: it lists the workflows it may run`,
    { status: 403, details: { workflowId } },
  )
}
