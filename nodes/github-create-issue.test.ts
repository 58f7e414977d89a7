import { describe, expect, it } from 'vitest'
import { rateLimitWait } from '../src/clients/github'
import { fakeApp, nodeFailure, runNode } from '../test/apps'
import { createCredential } from '../test/credentials'
import createIssue from './github-create-issue'

const TOKEN = 'github_pat_11TEST000000000000000000_secret'

async function repo(token = TOKEN) {
  const github = fakeApp('github')
  const credential = await createCredential('github-token', { token }, { baseUrl: github.base })
  return { github, credential }
}

describe('github-create-issue', () => {
  it("POSTs the issue with GitHub's headers and the token, and returns its number and URL", async () => {
    const { github, credential } = await repo()
    const output = await runNode(createIssue, {
      credential,
      owner: 'octo-org',
      repo: 'hello-world',
      title: 'Found a bug',
      body: 'It crashes',
      labels: ['bug', 'p1'],
      assignees: ['octocat'],
      milestone: 3,
    })
    const [request] = (await github.received()).requests
    expect(request).toMatchObject({ method: 'POST', path: '/repos/octo-org/hello-world/issues' })
    expect(request!.body).toEqual({
      title: 'Found a bug',
      body: 'It crashes',
      labels: ['bug', 'p1'],
      assignees: ['octocat'],
      milestone: 3,
    })
    expect(request!.headers).toMatchObject({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'AutomateOS',
      authorization: `Bearer ${TOKEN}`,
      'content-type': 'application/json',
    })
    expect(output).toEqual({
      number: expect.any(Number),
      id: expect.any(Number),
      url: expect.stringMatching(/^https:\/\/github\.com\/octo-org\/hello-world\/issues\/\d+$/),
      state: 'open',
    })
  })

  it('sends only the fields given, and escapes owner and repo as path segments', async () => {
    const { github, credential } = await repo()
    await runNode(createIssue, { credential, owner: 'a/b', repo: 'c?d', title: 'Hi' })
    const [request] = (await github.received()).requests
    expect(request!.path).toBe('/repos/a%2Fb/c%3Fd/issues')
    expect(request!.body).toEqual({ title: 'Hi' })
  })

  it("fails for good on a bad token, with GitHub's message and never the token", async () => {
    const { credential } = await repo('bad_token_0000000000')
    const error = await nodeFailure(createIssue, { credential, owner: 'o', repo: 'r', title: 't' })
    expect(error).toMatchObject({ code: 'GITHUB_ERROR', retryable: false })
    expect(error.message).toBe('GitHub 401: Bad credentials')
  })

  it.each([
    ['missing', 'GitHub 404: Not Found'],
    ['no-issues', 'GitHub 410: Issues are disabled for this repo'],
  ])('fails for good on repo %s', async (name, message) => {
    const { credential } = await repo()
    const error = await nodeFailure(createIssue, { credential, owner: 'o', repo: name, title: 't' })
    expect(error).toMatchObject({ code: 'GITHUB_ERROR', retryable: false, message })
  })

  it('fails a 422 for good, with the fields GitHub names in details', async () => {
    const { credential } = await repo()
    const error = await nodeFailure(createIssue, {
      credential,
      owner: 'o',
      repo: 'r',
      title: 't',
      milestone: 999,
    })
    expect(error).toMatchObject({ code: 'GITHUB_ERROR', retryable: false })
    expect(error.message).toBe('GitHub 422: Validation Failed')
    expect(error.details).toMatchObject({
      status: 422,
      body: { errors: [{ resource: 'Issue', field: 'milestone', code: 'invalid', value: 999 }] },
    })
  })

  it('waits until x-ratelimit-reset over the primary rate limit (a 403)', async () => {
    const { credential } = await repo()
    const error = await nodeFailure(createIssue, {
      credential,
      owner: 'o',
      repo: 'rate-limited',
      title: 't',
    })
    expect(error).toMatchObject({ code: 'GITHUB_ERROR', retryable: true })
    expect(error.message).toBe('GitHub 403: API rate limit exceeded for user ID 1.')
    // The fake resets 120 s from now; the wait is counted from when the answer was read.
    expect(error.retryAfterMs).toBeGreaterThan(100_000)
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000)
  })

  it('honours retry-after on a secondary rate limit (a 429), and waits a minute without one', async () => {
    const { credential } = await repo()
    const busy = await nodeFailure(createIssue, {
      credential,
      owner: 'o',
      repo: 'busy',
      title: 't',
    })
    expect(busy).toMatchObject({ code: 'GITHUB_ERROR', retryable: true, retryAfterMs: 30_000 })
    const quiet = await nodeFailure(createIssue, {
      credential,
      owner: 'o',
      repo: 'busy-403',
      title: 't',
    })
    expect(quiet).toMatchObject({ code: 'GITHUB_ERROR', retryable: true, retryAfterMs: 60_000 })
  })
})

describe('rateLimitWait', () => {
  const answer = (status: number, headers: Record<string, string>, body: unknown = {}) => ({
    status,
    headers: new Headers(headers),
    body,
  })

  it('leaves a 403 that is no rate limit final', () => {
    expect(
      rateLimitWait(answer(403, {}, { message: 'Resource not accessible by integration' })),
    ).toBeUndefined()
    expect(rateLimitWait(answer(404, { 'retry-after': '5' }))).toBeUndefined()
  })

  it('reads the reset time as UTC epoch seconds', () => {
    const now = 1_700_000_000_000
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000090' }
    expect(rateLimitWait(answer(429, headers), now)).toBe(90_000)
  })
})
