import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { app } from '../../app'
import { readCredential } from '../../credentials/read-credential'
import { AutomateError } from '../../errors'
import { ADMIN_TOKEN, admin } from '../../../test/helpers'

const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

async function create(body: unknown) {
  return admin('/api/credentials', { method: 'POST', json: body })
}

async function errorOf(response: Response) {
  return (
    (await response.json()) as { error: { code: string; message: string; details?: unknown } }
  ).error
}

async function thrown(promise: Promise<unknown>): Promise<AutomateError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AutomateError)
    return error as AutomateError
  }
  return expect.fail('should have thrown')
}

describe('credentials API', () => {
  it('creates a credential and answers with its name, type and times, never its data', async () => {
    const name = unique('notion')
    const response = await create({ name, type: 'notion', data: { token: 'ntn_secret_1' } })
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toBe(`http://automateos.test/api/credentials/${name}`)
    const text = await response.text()
    expect(text).not.toContain('ntn_secret_1')
    const body = JSON.parse(text)
    expect(body).toEqual({
      name,
      type: 'notion',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: body.createdAt,
    })
  })

  it('lists names, types, base URLs and times only', async () => {
    const name = unique('bot')
    await create({
      name,
      type: 'telegram-bot',
      data: { token: '123:listed-secret' },
      baseUrl: 'http://telegram.example/',
    })
    const response = await admin('/api/credentials')
    const text = await response.text()
    expect(text).not.toContain('listed-secret')
    const { credentials } = JSON.parse(text) as { credentials: Record<string, unknown>[] }
    const listed = credentials.find((c) => c.name === name)
    expect(Object.keys(listed!).sort()).toEqual([
      'baseUrl',
      'createdAt',
      'name',
      'type',
      'updatedAt',
    ])
    expect(listed).toMatchObject({ type: 'telegram-bot', baseUrl: 'http://telegram.example' })
  })

  it('stores the data encrypted, with a fresh IV each time', async () => {
    const a = unique('same')
    const b = unique('same')
    for (const name of [a, b])
      await create({
        name,
        type: 'http-bearer',
        data: { token: 'plain-text-token-123' },
        baseUrl: 'https://api.example',
      })
    const { results } = await env.DB.prepare(
      'select * from credentials where name in (?, ?) order by name',
    )
      .bind(a, b)
      .all<Record<string, unknown>>()
    expect(results).toHaveLength(2)
    expect(JSON.stringify(results)).not.toContain('plain-text-token-123')
    expect(results[0]!.iv).not.toBe(results[1]!.iv)
    expect(results[0]!.ciphertext).not.toBe(results[1]!.ciphertext)
    const credential = await readCredential(env, a, 'http-bearer')
    expect(credential).toEqual({
      name: a,
      type: 'http-bearer',
      data: { token: 'plain-text-token-123' },
      baseUrl: 'https://api.example',
    })
  })

  it.each([
    [{ type: 'notion', data: { token: 'x' } }, 'name'],
    [{ name: 'has space', type: 'notion', data: { token: 'x' } }, 'name'],
    [{ name: 'n', type: 'carrier-pigeon', data: {} }, 'type'],
    [{ name: 'n', type: 'notion', data: {} }, 'data.token'],
    [{ name: 'n', type: 'notion', data: { token: '' } }, 'data.token'],
    [{ name: 'n', type: 'notion', data: { token: 'x', extra: 1 } }, 'data'],
    [{ name: 'n', type: 'http-basic', data: { username: 'u' } }, 'data.password'],
    [{ name: 'n', type: 'http-header', data: { name: 'bad header', value: 'v' } }, 'data.name'],
    [{ name: 'n', type: 'discord-webhook', data: { url: 'ftp://x' } }, 'data.url'],
    [
      { name: 'n', type: 'google-service-account', data: { client_email: 'a@b.c' } },
      'data.private_key',
    ],
    [{ name: 'n', type: 'notion', data: { token: 'x' }, baseUrl: 'http://h/?k=secret' }, 'baseUrl'],
    [{ name: 'n', type: 'notion', data: { token: 'x' }, baseUrl: 'http://u:p@h' }, 'baseUrl'],
    [{ name: 'n', type: 'notion', data: 'token' }, 'data'],
  ])('refuses %j with a 400 naming %s', async (body, path) => {
    const response = await create(body)
    expect(response.status).toBe(400)
    const error = await errorOf(response)
    expect(error.code).toBe('VALIDATION_FAILED')
    expect((error.details as { path: string }[]).map((d) => d.path)).toContain(path)
  })

  it('accepts a Google key file as it is, keeping its other fields', async () => {
    const name = unique('google')
    const keyFile = {
      type: 'service_account',
      project_id: 'p',
      private_key_id: 'abc',
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n',
      client_email: 'bot@p.iam.gserviceaccount.com',
      client_id: '1',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      universe_domain: 'googleapis.com',
    }
    expect((await create({ name, type: 'google-service-account', data: keyFile })).status).toBe(201)
    const credential = await readCredential(env, name, 'google-service-account')
    expect(credential.data).toEqual(keyFile)
  })

  it('answers 409 for a name already taken, keeping the first', async () => {
    const name = unique('dup')
    const base = { type: 'http-bearer', baseUrl: 'https://api.example' }
    await create({ name, ...base, data: { token: 'first' } })
    const response = await create({ name, ...base, data: { token: 'second' } })
    expect(response.status).toBe(409)
    expect((await errorOf(response)).code).toBe('CREDENTIAL_EXISTS')
    expect((await readCredential(env, name, 'http-bearer')).data).toEqual({ token: 'first' })
  })

  it('replaces the data and base URL with PUT', async () => {
    const name = unique('put')
    await create({ name, type: 'slack-bot', data: { token: 'xoxb-old' } })
    const response = await admin(`/api/credentials/${name}`, {
      method: 'PUT',
      json: { data: { token: 'xoxb-new' }, baseUrl: 'http://slack.example' },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({
      name,
      type: 'slack-bot',
      baseUrl: 'http://slack.example',
    })
    expect(await readCredential(env, name, 'slack-bot')).toEqual({
      name,
      type: 'slack-bot',
      data: { token: 'xoxb-new' },
      baseUrl: 'http://slack.example',
    })
  })

  it('refuses a PUT that changes the type or the name, and a bad data field', async () => {
    const name = unique('put')
    await create({ name, type: 'slack-bot', data: { token: 'xoxb-old' } })
    const put = (json: unknown) => admin(`/api/credentials/${name}`, { method: 'PUT', json })
    const typeChange = await put({ type: 'notion', data: { token: 'x' } })
    expect(typeChange.status).toBe(400)
    expect(await errorOf(typeChange)).toMatchObject({ details: [{ path: 'type' }] })
    const nameChange = await put({ name: 'other', data: { token: 'x' } })
    expect(await errorOf(nameChange)).toMatchObject({ details: [{ path: 'name' }] })
    const badData = await put({ data: { toke: 'x' } })
    expect(badData.status).toBe(400)
    expect((await errorOf(badData)).details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'data.token' })]),
    )
    expect((await readCredential(env, name, 'slack-bot')).data).toEqual({ token: 'xoxb-old' })
  })

  it('answers 404 for PUT, GET and DELETE of an unknown credential', async () => {
    const path = `/api/credentials/${unique('nobody')}`
    expect((await admin(path, { method: 'PUT', json: { data: { token: 'x' } } })).status).toBe(404)
    expect((await admin(path)).status).toBe(404)
    expect((await admin(path, { method: 'DELETE' })).status).toBe(404)
  })

  it('deletes with 204; the credential is then gone', async () => {
    const name = unique('gone')
    await create({ name, type: 'webhook-secret', data: { secret: 'whsec' } })
    expect((await admin(`/api/credentials/${name}`, { method: 'DELETE' })).status).toBe(204)
    const error = await thrown(readCredential(env, name, 'webhook-secret'))
    expect(error).toMatchObject({ code: 'CREDENTIAL_NOT_FOUND', retryable: false })
    expect(error.message).toContain(name)
  })

  it('needs the admin token', async () => {
    const response = await app.fetch(new Request('http://automateos.test/api/credentials'), env)
    expect(response.status).toBe(401)
  })

  it('answers a clear 503 (not an internal error) when ENCRYPTION_KEY is missing or short', async () => {
    for (const [key, code] of [
      [undefined, 'ENCRYPTION_KEY_MISSING'],
      ['short', 'ENCRYPTION_KEY_TOO_SHORT'],
    ] as const) {
      const response = await app.fetch(
        new Request('http://automateos.test/api/credentials', {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: unique('k'), type: 'notion', data: { token: 'x' } }),
        }),
        { ...env, ENCRYPTION_KEY: key },
      )
      expect(response.status).toBe(503)
      const error = await errorOf(response)
      expect(error.code).toBe(code)
      expect(error.message).toContain('ENCRYPTION_KEY')
    }
  })
})

describe('readCredential', () => {
  it('refuses a credential of another type, naming both', async () => {
    const name = unique('typed')
    await create({
      name,
      type: 'slack-webhook',
      data: { url: 'https://hooks.slack.com/services/T/B/x' },
    })
    const error = await thrown(readCredential(env, name, ['discord-webhook']))
    expect(error.code).toBe('CREDENTIAL_WRONG_TYPE')
    expect(error.message).toContain('slack-webhook')
    expect(error.message).toContain('discord-webhook')
    expect(error.message).not.toContain('hooks.slack.com')
  })

  it('does not decrypt under another key', async () => {
    const name = unique('rotated')
    await create({
      name,
      type: 'http-bearer',
      data: { token: 't' },
      baseUrl: 'https://api.example',
    })
    const other = { DB: env.DB, ENCRYPTION_KEY: 'another-key-of-at-least-32-characters!!' }
    const error = await thrown(readCredential(other, name, 'http-bearer'))
    expect(error.code).toBe('CREDENTIAL_UNREADABLE')
    // The key the row needs is named by its id (a fingerprint), never quoted.
    expect(error.message).toMatch(/was encrypted under key [\w-]+, which this Worker does not have/)
    expect(error.message).not.toContain(other.ENCRYPTION_KEY)
  })

  it('does not decrypt a row whose base URL was changed in D1', async () => {
    const name = unique('tampered')
    await create({
      name,
      type: 'http-bearer',
      data: { token: 't' },
      baseUrl: 'https://api.example',
    })
    await env.DB.prepare('update credentials set base_url = ? where name = ?')
      .bind('https://attacker.example', name)
      .run()
    const error = await thrown(readCredential(env, name, 'http-bearer'))
    expect(error.code).toBe('CREDENTIAL_UNREADABLE')
  })
})
