import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, createWorkflow, fakeUpstream, postAndWait } from '../../test/helpers'
import { app } from '../app'
import { AutomateError } from '../errors'
import { knownSecrets } from '../redact/known-secrets'
import { rememberEnvSecrets } from './remember-credential'
import { encryptionKey } from './crypto'
import { keySlots } from './keyring'
import { readCredential } from './read-credential'
import { findCredential, insertCredential, replaceCredential } from './store'

// The suite's own key (vitest.config.ts) and two more; every test asserts none of them shows up.
const TEST_KEY = env.ENCRYPTION_KEY!
const OLD_KEY = 'old-encryption-key-of-at-least-32-characters-0001'
const OTHER_KEY = 'other-encryption-key-of-at-least-32-characters-02'
const idOf = async (secret: string) => (await encryptionKey(secret)).id

/** The Worker's env with exactly these key slots. */
function withKeys(slots: Record<string, string>) {
  return { ...env, ENCRYPTION_KEY: undefined, ...slots }
}

const uniqueName = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`

async function store(keys: object, name = uniqueName('rot'), baseUrl = 'https://api.example') {
  const data = { token: `tok-${name}` }
  await insertCredential(env.DB, keys, { name, type: 'http-bearer', data, baseUrl })
  return name
}

/** The admin API of a Worker whose env is `keys`: the route code, auth and all, as deployed. */
async function api(keys: object, method: string, path: string, body?: unknown) {
  const response = await app.request(
    path,
    {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    keys,
  )
  const text = await response.text()
  for (const secret of [TEST_KEY, OLD_KEY, OTHER_KEY]) expect(text).not.toContain(secret)
  return { status: response.status, body: JSON.parse(text) }
}

async function thrown(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error as AutomateError
  }
  return expect.fail('expected an error')
}

/** Runs every batch, as `npm run rotate-key` does. */
async function reEncryptAll(keys: object, limit?: number) {
  const answers = []
  let after: string | undefined
  do {
    const { status, body } = await api(keys, 'POST', '/api/encryption-key/re-encrypt', {
      ...(after === undefined ? {} : { after }),
      ...(limit === undefined ? {} : { limit }),
    })
    expect(status).toBe(200)
    answers.push(body)
    after = body.next ?? undefined
  } while (after !== undefined)
  return answers
}

// `remaining` counts every credential, so each test starts from an empty table.
beforeEach(async () => {
  await env.DB.prepare('delete from credentials').run()
})

describe('key slots', () => {
  it('reads ENCRYPTION_KEY and ENCRYPTION_KEY_<n>, newest first, ignoring empty and other names', () => {
    const slots = keySlots({
      ENCRYPTION_KEY: 'a',
      ENCRYPTION_KEY_10: 'c',
      ENCRYPTION_KEY_2: 'b',
      ENCRYPTION_KEY_3: '',
      ENCRYPTION_KEY_1: 'not a slot: generation 1 is ENCRYPTION_KEY',
      ENCRYPTION_KEY_02: 'not a slot',
      ENCRYPTION_KEY_PREVIOUS: 'not a slot',
      ADMIN_TOKEN: 'x',
    })
    expect(slots.map((s) => [s.slot, s.generation])).toEqual([
      ['ENCRYPTION_KEY_10', 10],
      ['ENCRYPTION_KEY_2', 2],
      ['ENCRYPTION_KEY', 1],
    ])
  })
})

describe('redaction', () => {
  it('knows every key slot as a secret to hide, not only ENCRYPTION_KEY', () => {
    rememberEnvSecrets({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: OTHER_KEY })
    expect(knownSecrets()).toEqual(expect.arrayContaining([OLD_KEY, OTHER_KEY]))
  })
})

describe('credentials under several keys', () => {
  it('encrypts with the highest slot and decrypts each row with the key that wrote it', async () => {
    const old = await store(withKeys({ ENCRYPTION_KEY: OLD_KEY }))
    const both = withKeys({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: OTHER_KEY })
    const fresh = await store(both)
    expect((await findCredential(env.DB, old))!.keyId).toBe(await idOf(OLD_KEY))
    expect((await findCredential(env.DB, fresh))!.keyId).toBe(await idOf(OTHER_KEY))
    expect((await readCredential(both, old, 'http-bearer')).data).toEqual({ token: `tok-${old}` })
    expect((await readCredential(both, fresh, 'http-bearer')).data).toEqual({
      token: `tok-${fresh}`,
    })
    // A replacement is written under the current key too.
    await replaceCredential(env.DB, both, { name: old, type: 'http-bearer', data: { token: 'n' } })
    expect((await findCredential(env.DB, old))!.keyId).toBe(await idOf(OTHER_KEY))
  })

  it('names the missing key by its id, and the keys it has by slot and id, never a key', async () => {
    const name = await store(withKeys({ ENCRYPTION_KEY: OLD_KEY }))
    const error = await thrown(
      readCredential(withKeys({ ENCRYPTION_KEY_2: OTHER_KEY }), name, 'http-bearer'),
    )
    expect(error).toBeInstanceOf(AutomateError)
    expect(error.code).toBe('CREDENTIAL_UNREADABLE')
    expect(error.retryable).toBe(false)
    expect(error.message).toBe(
      `Credential ${name} was encrypted under key ${await idOf(OLD_KEY)}, which this Worker does ` +
        `not have (ENCRYPTION_KEY_2 is ${await idOf(OTHER_KEY)}); set the key that wrote it again ` +
        '(as ENCRYPTION_KEY or the slot it was in), or re-create it',
    )
    expect(JSON.stringify([error.message, error.details])).not.toContain(OLD_KEY)
    expect(JSON.stringify([error.message, error.details])).not.toContain(OTHER_KEY)
  })

  it('refuses a short key in any slot, naming the slot', async () => {
    const error = await thrown(
      store(withKeys({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: 'too-short' })),
    )
    expect(error.code).toBe('ENCRYPTION_KEY_TOO_SHORT')
    expect(error.message).toBe('ENCRYPTION_KEY_2 must be at least 32 characters of random text')
  })
})

describe('re-encryption (POST /api/encryption-key/re-encrypt)', () => {
  it('moves every credential on an old key to the current one, in batches, and a node still uses it', async () => {
    // Written before the rotation, under OLD_KEY; the test Worker itself only has TEST_KEY.
    const upstream = fakeUpstream()
    const names = []
    for (let i = 0; i < 5; i++)
      names.push(await store(withKeys({ ENCRYPTION_KEY: OLD_KEY }), undefined, upstream.base))
    const workflow = await createWorkflow({
      name: uniqueName('rotation'),
      nodes: [
        {
          id: 'call',
          type: 'http-request',
          config: { url: upstream.url('/me'), credential: names[0] },
        },
      ],
    })
    const before = await postAndWait(workflow, {})
    expect(before.status).toBe('failed')
    expect(before.steps[0]!.error).toMatchObject({ code: 'CREDENTIAL_UNREADABLE' })
    expect(before.steps[0]!.error!.message).toContain(`under key ${await idOf(OLD_KEY)}`)

    // The rotation: the new key (TEST_KEY) is added in the next slot, the old one stays.
    const rotating = withKeys({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: TEST_KEY })
    const status = await api(rotating, 'GET', '/api/encryption-key')
    expect(status.status).toBe(200)
    expect(status.body.current).toEqual({ slot: 'ENCRYPTION_KEY_2', keyId: await idOf(TEST_KEY) })
    expect(status.body.keys.map((k: { slot: string }) => k.slot)).toEqual([
      'ENCRYPTION_KEY_2',
      'ENCRYPTION_KEY',
    ])
    const onOld = status.body.credentials.find(
      (c: { keyId: string }) => c.keyId === (status.body.keys[1].keyId as string),
    )
    expect(onOld).toMatchObject({ slot: 'ENCRYPTION_KEY' })
    expect(onOld.count).toBe(5)

    const answers = await reEncryptAll(rotating, 2)
    expect(answers.length).toBeGreaterThanOrEqual(3)
    expect(answers.every((a) => a.failed.length === 0)).toBe(true)
    expect(answers.at(-1)).toMatchObject({ next: null, remaining: 0 })
    for (const name of names)
      expect((await findCredential(env.DB, name))!.keyId).toBe(await idOf(TEST_KEY))

    // The old key can go: the Worker with only the new one runs the node with the credential.
    const after = await postAndWait(workflow, {})
    expect(after.status).toBe('succeeded')
    const [request] = (await upstream.received()).requests
    expect(request!.headers.authorization).toBe(`Bearer tok-${names[0]}`)

    // Idempotent: a second pass finds nothing to do and changes nothing.
    const rows = await Promise.all(names.map((name) => findCredential(env.DB, name)))
    const again = await reEncryptAll(rotating)
    expect(again).toEqual([
      {
        current: status.body.current,
        reEncrypted: 0,
        failed: [],
        next: null,
        remaining: 0,
      },
    ])
    expect(await Promise.all(names.map((name) => findCredential(env.DB, name)))).toEqual(rows)
  })

  it('reports a credential whose key is not set, by key id, and carries on past it', async () => {
    const lost = await store(withKeys({ ENCRYPTION_KEY: OTHER_KEY }), uniqueName('a-lost'))
    const kept = await store(withKeys({ ENCRYPTION_KEY: OLD_KEY }), uniqueName('b-kept'))
    const rotating = withKeys({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: TEST_KEY })
    const answers = await reEncryptAll(rotating)
    const failed = answers.flatMap((a) => a.failed)
    expect(failed).toEqual([
      {
        name: lost,
        keyId: await idOf(OTHER_KEY),
        code: 'CREDENTIAL_UNREADABLE',
        message: expect.stringContaining(`was encrypted under key ${await idOf(OTHER_KEY)}`),
      },
    ])
    expect(answers.at(-1)).toMatchObject({ next: null, remaining: 1 })
    expect((await findCredential(env.DB, kept))!.keyId).toBe(await idOf(TEST_KEY))
    expect((await findCredential(env.DB, lost))!.keyId).toBe(await idOf(OTHER_KEY))
    const status = await api(rotating, 'GET', '/api/encryption-key')
    expect(status.body.credentials).toContainEqual({
      keyId: await idOf(OTHER_KEY),
      slot: null,
      count: 1,
    })
  })

  it('refuses a bad batch request with the field named, and answers 503 with no key at all', async () => {
    const rotating = withKeys({ ENCRYPTION_KEY: OLD_KEY, ENCRYPTION_KEY_2: TEST_KEY })
    const bad = await api(rotating, 'POST', '/api/encryption-key/re-encrypt', { limit: 1000 })
    expect(bad.status).toBe(400)
    expect(bad.body.error.details[0].path).toBe('limit')
    const none = await api(withKeys({}), 'POST', '/api/encryption-key/re-encrypt')
    expect(none.status).toBe(503)
    expect(none.body.error.code).toBe('ENCRYPTION_KEY_MISSING')
  })
})
