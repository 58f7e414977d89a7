import { describe, expect, it } from 'vitest'
import { AutomateError } from '../../errors'
import { originsOnly } from '../../redact/origins-only'
import {
  errorMessageOf,
  httpError,
  isRetryableStatus,
  noAnswerError,
  readBody,
  retryAfterMs,
} from './http'

describe('retryAfterMs', () => {
  const now = Date.parse('2026-03-01T12:00:00Z')

  it.each([
    ['7', 7000],
    ['0', 0],
    ['120', 120_000],
    ['1.5', 1500],
  ])('reads %s seconds', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms)
  })

  it('reads an HTTP date as the time left until then', () => {
    expect(retryAfterMs('Sun, 01 Mar 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBe(90_000)
  })

  it('never answers with a negative wait', () => {
    expect(retryAfterMs('Sun, 01 Mar 2026 11:59:00 GMT', now)).toBe(0)
    expect(retryAfterMs('-5', now)).toBe(0)
  })

  it.each([[null], [''], ['soon'], ['in a minute']])('has no delay for %j', (header) => {
    expect(retryAfterMs(header, now)).toBeUndefined()
  })
})

describe('errorMessageOf', () => {
  it.each([
    ['{ message }', { message: 'No such customer' }, 'No such customer'],
    ['{ error: { message } }', { error: { message: 'Invalid token', code: 401 } }, 'Invalid token'],
    ['{ error: string }', { error: 'not_found' }, 'not_found'],
    [
      'OAuth { error, error_description }',
      { error: 'invalid_grant', error_description: 'Code expired' },
      'Code expired',
    ],
    [
      'RFC 7807 { detail }',
      { title: 'Bad', detail: 'amount must be positive' },
      'amount must be positive',
    ],
    ['{ description }', { ok: false, description: 'chat not found' }, 'chat not found'],
    [
      'GraphQL { errors: [{ message }] }',
      { errors: [{ message: 'Field x unknown' }] },
      'Field x unknown',
    ],
    [
      'JSON:API { errors: [{ detail }] }',
      { errors: [{ status: '422', detail: 'Title blank' }] },
      'Title blank',
    ],
    ['{ errors: [string] }', { errors: ['name is required'] }, 'name is required'],
    ['a text body', 'Service Unavailable', 'Service Unavailable'],
  ])('finds the message in %s', (_, body, message) => {
    expect(errorMessageOf(body)).toBe(message)
  })

  it('prefers the message to the error code', () => {
    expect(errorMessageOf({ error: 'E42', message: 'Quota exceeded' })).toBe('Quota exceeded')
  })

  it('cuts a long text body short', () => {
    expect(errorMessageOf('x'.repeat(5000))).toHaveLength(300)
  })

  it.each([
    [null],
    [undefined],
    [''],
    [42],
    [{}],
    [{ message: '' }],
    [{ error: { code: 1 } }],
    [[]],
  ])('has none in %j', (body) => {
    expect(errorMessageOf(body)).toBeUndefined()
  })
})

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('%i may pass on another try', (status) => {
    expect(isRetryableStatus(status)).toBe(true)
  })

  it.each([400, 401, 403, 404, 409, 422])('%i will not', (status) => {
    expect(isRetryableStatus(status)).toBe(false)
  })
})

describe('httpError', () => {
  it('names the service, the status and the message, and keeps the body', () => {
    const response = new Response(null, { status: 404, statusText: 'Not Found' })
    const error = httpError(response, { message: 'Unknown channel' }, 'Discord')
    expect(error).toBeInstanceOf(AutomateError)
    expect(error).toMatchObject({
      code: 'HTTP_ERROR',
      message: 'Discord 404 Not Found: Unknown channel',
      retryable: false,
      details: { status: 404, body: { message: 'Unknown channel' } },
    })
    expect(error.retryAfterMs).toBeUndefined()
  })

  it('is retryable after Retry-After on a 429', () => {
    const response = new Response(null, { status: 429, headers: { 'retry-after': '3' } })
    const error = httpError(response, null)
    expect(error).toMatchObject({ message: 'HTTP 429', retryable: true, retryAfterMs: 3000 })
  })
})

describe('readBody', () => {
  const answer = (body: string, type?: string) =>
    new Response(body, type ? { headers: { 'content-type': type } } : {})

  it('parses JSON', async () => {
    expect(await readBody(answer('{"a":[1,2]}', 'application/json'))).toEqual({ a: [1, 2] })
    expect(await readBody(answer('"x"', 'application/problem+json'))).toBe('x')
  })

  it('parses a body that looks like JSON whatever it says it is', async () => {
    expect(await readBody(answer(' [1, 2]', 'text/plain'))).toEqual([1, 2])
  })

  it('keeps text, and JSON that does not parse, as text', async () => {
    expect(await readBody(answer('hello', 'text/plain'))).toBe('hello')
    expect(await readBody(answer('{oops', 'application/json'))).toBe('{oops')
  })

  it('reads an empty body as null', async () => {
    expect(await readBody(answer('', 'application/json'))).toBeNull()
    expect(await readBody(new Response(null, { status: 204 }))).toBeNull()
  })
})

describe('origins only in messages (issue 12 item 8)', () => {
  it('cuts every URL in a text to its origin, without user or password', () => {
    expect(
      originsOnly(
        'posting to https://hooks.slack.com/services/T1/B2/xyz failed; ' +
          'see http://ada:pw@api.example.com:8443/v1/x?token=abc#f and "https://api.telegram.org/bot1:AA/send"',
      ),
    ).toBe(
      'posting to https://hooks.slack.com failed; ' +
        'see http://api.example.com:8443 and "https://api.telegram.org"',
    )
    expect(originsOnly('no URL here')).toBe('no URL here')
    expect(originsOnly(undefined)).toBeUndefined()
  })

  it("keeps the path of the runtime's own fetch error out of the step's message", async () => {
    // workerd quotes the whole URL when it refuses a fetch: a real error, not a made-up one.
    let thrown: unknown
    try {
      await fetch('ftp://hooks.slack.com/services/T1/B2/hook-secret-77')
    } catch (error) {
      thrown = error
    }
    expect(String(thrown)).toContain('hook-secret-77')
    const error = noAnswerError('POST https://hooks.slack.com', thrown, false)
    expect(error.code).toBe('HTTP_NETWORK')
    expect(error.message).toBe(
      'POST https://hooks.slack.com failed: Fetch API cannot load: ftp://hooks.slack.com',
    )
    expect(noAnswerError('GET https://a.example', thrown, true).code).toBe('HTTP_TIMEOUT')
  })
})
