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

export function resumeUrl(origin: string, call: ResumePath): string {
  return `${origin.replace(/\/+$/, '')}${RESUME_PREFIX}/${call.runId}/${call.nodeId}/${call.token}`
}

export type ResumePath = { runId: string; nodeId: string; token: string }
