import { hmac } from '../lib/hmac'

/** Where a run's resume URLs live: `<origin>/hooks/resume/<runId>/<nodeId>/<token>`. */
export const RESUME_PREFIX = '/hooks/resume'

/**
 * The token of one wait in one run: an HMAC under the run's key, so each wait-for-webhook node
 * of the run has a URL of its own and nothing but the key (never shown, never logged) makes one.
 * 128 bits: as unguessable as a webhook token, and short enough for a chat message.
 */
export async function resumeToken(key: string, runId: string, nodeId: string): Promise<string> {
  const mac = await hmac('sha256', key, `resume:${runId}:${nodeId}`)
  return btoa(String.fromCharCode(...mac.slice(0, 16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/**
 * The token of one decision of a wait that offers several (`decisions` on wait-for-webhook): a
 * MAC of its own, so the approve link cannot be turned into the reject one. The decision's name
 * follows the 22-character MAC after `_`, where the hook reads which decision a call makes.
 */
export async function decisionToken(
  key: string,
  runId: string,
  nodeId: string,
  decision: string,
): Promise<string> {
  const mac = await resumeToken(key, runId, `${nodeId}:decision:${decision}`)
  return `${mac}_${decision}`
}

/** The decision a token names (see decisionToken), or undefined for a wait's plain token. */
export function decisionOf(token: string): string | undefined {
  return token.length > 23 && token[22] === '_' ? token.slice(23) : undefined
}

export function resumeUrl(origin: string, call: ResumePath): string {
  return `${origin.replace(/\/+$/, '')}${RESUME_PREFIX}/${call.runId}/${call.nodeId}/${call.token}`
}

export type ResumePath = { runId: string; nodeId: string; token: string }
