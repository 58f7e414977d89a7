import { z } from 'zod'
import { type ApiAnswer, apiUrl, callApi } from './call-api'
import { OAUTH2_KIND, oauthAccess } from './oauth2'
import { type CredentialOf, defineService, secret } from './service'
import { errorMessageOf, retryAfterMs } from './transport/http'

const API = 'https://api.github.com'

/** GitHub's REST API, with a personal access token (fine-grained or classic). */
export const github = defineService({
  name: 'GitHub',
  errorCode: 'GITHUB_ERROR',
  baseUrl: API,
  // Secondary limits: "no more than 80 content-generating requests per minute" (creating an
  // issue is one) (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api).
  rateLimit: { calls: 80, intervalMs: 60_000 },
  credentials: {
    'github-token': {
      data: z
        .object({
          token: secret().describe(
            'A personal access token (github_pat_… or ghp_…) that may write issues',
          ),
        })
        .strict(),
      sample: { token: 'github_pat_11SAMPLE0000000000000000_sample' },
    },
    // An OAuth app, connected with "Connect" (preset github); its tokens do not expire.
    oauth2: OAUTH2_KIND,
  },
  authenticate: (credential) => ({
    authorization: `Bearer ${
      credential.type === 'oauth2' ? oauthAccess(credential, 'github').token : credential.data.token
    }`,
  }),
})

/**
 * Sent on every call, as GitHub asks: its JSON media type, the API version this client was written
 * against, and a User-Agent, without which GitHub refuses the request
 * (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#headers).
 */
const HEADERS = {
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'AutomateOS',
}

/** The least GitHub asks a client to wait after a secondary rate limit that names no time. */
const SECONDARY_LIMIT_WAIT_MS = 60_000

/**
 * Whether a 403 or 429 is a rate limit, and how long to wait before trying again, as GitHub
 * says (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit):
 * retry-after when present; else, with x-ratelimit-remaining 0, until x-ratelimit-reset (UTC epoch
 * seconds); else, for a secondary limit, at least a minute. Any other 403 (no access) is final.
 */
export function rateLimitWait(answer: ApiAnswer, now = Date.now()): number | undefined {
  const { status, headers, body } = answer
  if (status !== 403 && status !== 429) return undefined
  const retryAfter = retryAfterMs(headers.get('retry-after'), now)
  if (retryAfter !== undefined) return retryAfter
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'))
    if (headers.has('x-ratelimit-reset') && Number.isFinite(reset))
      return Math.max(0, reset * 1000 - now)
  }
  if (status === 429 || /secondary rate limit/i.test(errorMessageOf(body) ?? ''))
    return SECONDARY_LIMIT_WAIT_MS
  return undefined
}

type GitHubCall = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  path: string
  json?: unknown
  signal?: AbortSignal
}

/** One REST call: errors are GitHub's `{ message, documentation_url, errors?, status }`. */
export async function callGitHub(credential: CredentialOf<typeof github>, call: GitHubCall) {
  const answer = await callApi({
    service: github,
    credential,
    method: call.method,
    url: apiUrl(API, credential.baseUrl, call.path),
    headers: HEADERS,
    json: call.json,
    signal: call.signal,
    rateLimitOf: (failed) => rateLimitWait(failed),
  })
  return answer.body
}

export type NewIssue = {
  owner: string
  repo: string
  title: string
  body?: string
  labels?: string[]
  assignees?: string[]
  milestone?: number
}

export type Issue = { id: number; number: number; html_url: string; state: string; title: string }

/**
 * POST /repos/{owner}/{repo}/issues (https://docs.github.com/en/rest/issues/issues#create-an-issue).
 * GitHub drops labels, assignees and a milestone silently when the token's user may not set them.
 */
export async function createIssue(
  credential: CredentialOf<typeof github>,
  { owner, repo, title, body, labels, assignees, milestone }: NewIssue,
  signal?: AbortSignal,
) {
  const path = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/issues`
  // Named one by one: a node's config holds more (its credential's name), and none of it is GitHub's.
  const json = { title, body, labels, assignees, milestone }
  return (await callGitHub(credential, { method: 'POST', path, json, signal })) as Issue
}
