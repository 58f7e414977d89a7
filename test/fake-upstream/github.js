// GitHub's REST API, the one endpoint we call: POST /repos/{owner}/{repo}/issues
// (https://docs.github.com/en/rest/issues/issues#create-an-issue): 201 with the issue. Errors are
// { message, documentation_url, status } (+ errors on a 422), as the REST troubleshooting page shows
// (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
// The repository name picks a failure, as other fakes use their tokens:
//   missing → 404, no-issues → 410 (issues disabled), rate-limited → 403 with
//   x-ratelimit-remaining 0 (primary), busy → 429 with retry-after (secondary),
//   busy-403 → 403 secondary without a time.
import { bearerOf, json, text } from './reply.js'

const DOCS = 'https://docs.github.com/rest/issues/issues#create-an-issue'
let issues = 0

const error = (status, message, extra = {}, headers = {}) =>
  json(status, { message, documentation_url: DOCS, ...extra, status: String(status) }, headers)

export function github(request) {
  const headers = request.headers
  // "Requests with no User-Agent header will be rejected"
  // (https://docs.github.com/en/rest/using-the-rest-api/getting-started-with-the-rest-api#user-agent).
  if (!headers['user-agent']) {
    return text(
      403,
      'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).',
    )
  }
  // An unsupported X-GitHub-Api-Version is a 400; without one GitHub assumes 2022-11-28
  // (https://docs.github.com/en/rest/about-the-rest-api/api-versions#specifying-an-api-version).
  const version = headers['x-github-api-version']
  if (version && version !== '2022-11-28') {
    return error(400, `Unsupported 'X-GitHub-Api-Version': ${version}`)
  }
  const token = bearerOf(request)
  if (!token) return error(401, 'Requires authentication')
  if (token.startsWith('bad')) return error(401, 'Bad credentials')

  const match = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(request.path)
  if (!match || request.method !== 'POST') return error(404, 'Not Found')
  const [, owner, repo] = match.map(decodeURIComponent)
  if (repo === 'missing') return error(404, 'Not Found')
  if (repo === 'no-issues') return error(410, 'Issues are disabled for this repo')

  // Rate limits (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api):
  // over the primary limit, a 403 or 429 with x-ratelimit-remaining 0 and x-ratelimit-reset in UTC
  // epoch seconds; over a secondary limit, a 403 or 429 whose message says so, retry-after maybe.
  const now = Math.floor(Date.now() / 1000)
  if (repo === 'rate-limited') {
    return error(
      403,
      'API rate limit exceeded for user ID 1.',
      {},
      {
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-used': '5000',
        'x-ratelimit-reset': String(now + 120),
        'x-ratelimit-resource': 'core',
      },
    )
  }
  if (repo === 'busy' || repo === 'busy-403') {
    return error(
      repo === 'busy' ? 429 : 403,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      {},
      repo === 'busy' ? { 'retry-after': '30' } : {},
    )
  }

  // A 422 names each bad field (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api).
  const body = typeof request.body === 'object' && request.body !== null ? request.body : {}
  const invalid = []
  if (typeof body.title !== 'string' && typeof body.title !== 'number')
    invalid.push({ resource: 'Issue', code: 'missing_field', field: 'title' })
  if (body.labels !== undefined && !Array.isArray(body.labels))
    invalid.push({ resource: 'Issue', code: 'invalid', field: 'labels' })
  if (typeof body.body === 'string' && body.body.length > 65536)
    invalid.push({
      resource: 'Issue',
      code: 'custom',
      field: 'body',
      message: 'body is too long (maximum is 65536 characters)',
    })
  // The fake's repositories have milestones 1 to 10; another number is not one of them.
  if (body.milestone !== undefined && !(body.milestone >= 1 && body.milestone <= 10))
    invalid.push({ value: body.milestone, resource: 'Issue', field: 'milestone', code: 'invalid' })
  if (invalid.length > 0) return error(422, 'Validation Failed', { errors: invalid })

  issues += 1
  const number = issues
  const base = `https://api.github.com/repos/${owner}/${repo}`
  return json(
    201,
    {
      id: 1_000_000 + number,
      node_id: `I_kwDOsample${number}`,
      url: `${base}/issues/${number}`,
      html_url: `https://github.com/${owner}/${repo}/issues/${number}`,
      number,
      state: 'open',
      title: String(body.title),
      body: body.body ?? null,
      labels: (body.labels ?? []).map((name, i) => ({ id: i + 1, name, color: 'ededed' })),
      assignees: (body.assignees ?? []).map((login, i) => ({ login, id: i + 1 })),
      milestone: body.milestone ? { number: body.milestone, title: `v${body.milestone}` } : null,
      user: { login: 'octocat', id: 1 },
      created_at: new Date().toISOString(),
    },
    {
      location: `${base}/issues/${number}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(now + 3600),
    },
  )
}
