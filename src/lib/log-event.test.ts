import { afterEach, describe, expect, it, vi } from 'vitest'
import { rememberSecret } from '../redact/known-secrets'
import { logEvent } from './log-event'
import { REDACTED, redactError, redactKnownInJson } from '../redact/redact'

function logged(fields: Record<string, unknown>) {
  const lines: string[] = []
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(line))
  logEvent('error', 'test_event', fields)
  expect(lines).toHaveLength(1)
  return lines[0]!
}

describe('logEvent redacts every line, once', () => {
  afterEach(() => vi.restoreAllMocks())

  it('hides fields named like secrets, and keeps ids and codes', () => {
    const line = JSON.parse(
      logged({
        runId: 'r-1',
        code: 'HTTP_ERROR',
        headers: { authorization: 'Basic abc', 'x-api-key': 'k-123', accept: 'json' },
        password: 'pw',
        nested: [{ sessionCookie: 'c' }],
      }),
    )
    expect(line).toEqual({
      event: 'test_event',
      runId: 'r-1',
      code: 'HTTP_ERROR',
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, accept: 'json' },
      password: REDACTED,
      nested: [{ sessionCookie: REDACTED }],
    })
  })

  it.each([
    ['/hooks/wf_abc/GRD4gUInGWEcERnlRbnyvV6K', `/hooks/wf_abc/${REDACTED}`],
    ['/hooks/resume/run-1/approval/s3cr3t-token-9', `/hooks/resume/run-1/approval/${REDACTED}`],
    [
      'POST https://hooks.slack.com/services/T0001/B0002/XXXXsecretXXXX failed',
      'POST https://hooks.slack.com failed',
    ],
    ['proxy.example/services/T0001/B0002/abcdef123', `proxy.example/services/${REDACTED}`],
    [
      'see https://discord.com/api/webhooks/1122334455/tok-EN_abc?wait=true',
      'see https://discord.com',
    ],
    [
      '/api/webhooks/1122334455/tok-EN_abc?wait=true',
      `/api/webhooks/1122334455/${REDACTED}?wait=true`,
    ],
    ['https://api.telegram.org/bot123456:AAE-xyz_42/sendMessage', 'https://api.telegram.org'],
    ['path /bot123456:AAE-xyz_42/sendMessage', `path /bot${REDACTED}/sendMessage`],
    ['sent Authorization: Bearer eyJhbGciOi.abc-def', `sent Authorization: Bearer ${REDACTED}`],
    ['key sk-proj-abcdefghijklmnop1234 refused', `key ${REDACTED} refused`],
    [`token aos_${'Ab3-_'.repeat(9)} revoked`, `token ${REDACTED} revoked`],
    ['xoxb-1234-5678-abcdefgh and ghp_abcdefghijklmnopqrstuvwxyz', `${REDACTED} and ${REDACTED}`],
    ['GET https://a.example/x?page=2&api_key=k1&token=t2', 'GET https://a.example'],
    ['GET /x?page=2&api_key=k1&token=t2', `GET /x?page=2&api_key=${REDACTED}&token=${REDACTED}`],
  ])('hides the secret in %s', (message, shown) => {
    expect(JSON.parse(logged({ message })).message).toBe(shown)
  })

  it('hides a value the isolate knows to be secret, wherever it is', () => {
    const secret = `known-${crypto.randomUUID()}`
    rememberSecret(secret)
    const line = logged({ message: `upstream said: bad key ${secret}!`, error: { cause: secret } })
    expect(line).not.toContain(secret)
    expect(JSON.parse(line).message).toBe(`upstream said: bad key ${REDACTED}!`)
  })

  it('leaves words that only sound like a secret alone', () => {
    for (const message of [
      'Bearer authentication_required: send a token',
      'the bearer of bad news',
      'ask-for-a-key',
    ])
      expect(JSON.parse(logged({ message })).message).toBe(message)
  })

  it('does not learn short values: they would hide ordinary words', () => {
    rememberSecret('admin')
    expect(JSON.parse(logged({ message: 'user admin' })).message).toBe('user admin')
  })
})

describe('step rows: known values only', () => {
  it('replaces known values in strings and keys, leaves numbers and look-alikes alone', () => {
    const secret = `echoed-${crypto.randomUUID()}`
    rememberSecret(secret)
    const output = JSON.parse(
      `{"echo": "Bearer ${secret}", "n": 12345678, "${secret}": 1, "__proto__": {"x": 1}, "hook": "https://hooks.slack.com/services/T1/B2/data"}`,
    )
    const { value, text } = redactKnownInJson(output, JSON.stringify(output))
    expect(text).not.toContain(secret)
    expect(value).toEqual(JSON.parse(text))
    expect(JSON.parse(text)).toEqual({
      echo: `Bearer ${REDACTED}`,
      n: 12345678,
      [REDACTED]: 1,
      ['__proto__']: { x: 1 },
      hook: 'https://hooks.slack.com/services/T1/B2/data',
    })
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
  })

  it('gives a clean value back as it is', () => {
    const output = { a: [1, 'two'] }
    const text = JSON.stringify(output)
    expect(redactKnownInJson(output, text)).toEqual({ value: output, text })
  })

  it("redacts an error's message as text and its details of known values", () => {
    const secret = `detail-${crypto.randomUUID()}`
    rememberSecret(secret)
    expect(
      redactError({
        message: `HTTP 401: token ${secret} is invalid (https://hooks.slack.com/services/T1/B2/abc)`,
        code: 'HTTP_ERROR',
        details: { status: 401, body: { error: `token ${secret} is invalid` } },
      }),
    ).toEqual({
      message: `HTTP 401: token ${REDACTED} is invalid (https://hooks.slack.com/services/${REDACTED})`,
      code: 'HTTP_ERROR',
      details: { status: 401, body: { error: `token ${REDACTED} is invalid` } },
    })
  })
})
