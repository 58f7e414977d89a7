import { describe, expect, it } from 'vitest'
import { AutomateError } from '../../errors'
import { PRESETS } from './signature-presets'

// Signatures here are computed from each sender's documented scheme with WebCrypto directly,
// not with the code under test.
const encoder = new TextEncoder()
const body = (text: string) => encoder.encode(text).buffer as ArrayBuffer

async function sign(secret: string, data: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data)))
}
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
const base64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))

async function refusal(check: Promise<unknown>) {
  const error = await check.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(AutomateError)
  const refused = error as AutomateError
  expect(refused.status).toBe(401)
  return { code: refused.code, message: refused.message }
}

const NOW = Date.parse('2026-11-27T12:00:00Z')
const nowSeconds = Math.floor(NOW / 1000)

describe('github preset', () => {
  // docs.github.com, "Validating webhook deliveries": the published test values.
  const secret = "It's a Secret to Everybody"
  const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'

  it("accepts GitHub's published example", async () => {
    const headers = new Headers({ 'X-Hub-Signature-256': signature })
    await PRESETS.github(secret, headers, body('Hello, World!'), NOW)
  })

  it('refuses another body, another secret, a missing header and a sha1 signature', async () => {
    const good = new Headers({ 'X-Hub-Signature-256': signature })
    expect((await refusal(PRESETS.github(secret, good, body('Hello, World?'), NOW))).code).toBe(
      'SIGNATURE_INVALID',
    )
    expect((await refusal(PRESETS.github('other', good, body('Hello, World!'), NOW))).code).toBe(
      'SIGNATURE_INVALID',
    )
    expect(
      (await refusal(PRESETS.github(secret, new Headers(), body('Hello, World!'), NOW))).message,
    ).toMatch(/X-Hub-Signature-256 header is missing/)
    const sha1 = new Headers({ 'X-Hub-Signature-256': `sha1=${signature.slice(7)}` })
    expect(
      (await refusal(PRESETS.github(secret, sha1, body('Hello, World!'), NOW))).message,
    ).toMatch(/sha256=/)
  })
})

describe('stripe preset', () => {
  const secret = 'whsec_test_secret'
  const payload = '{"id":"evt_1","object":"event","type":"charge.succeeded"}'

  async function header(t: number, text = payload, key = secret) {
    return `t=${t},v1=${hex(await sign(key, `${t}.${text}`))}`
  }

  it('accepts t= and v1= over "t.body", with other schemes and extra v1 values around it', async () => {
    const valid = await header(nowSeconds - 30)
    await PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': valid }), body(payload), NOW)
    // During a secret roll Stripe sends a v1 per secret; v0 is a test scheme to ignore.
    const other = hex(await sign('whsec_old', `${nowSeconds}.${payload}`))
    const rolled = `t=${nowSeconds},v1=${other},v1=${hex(await sign(secret, `${nowSeconds}.${payload}`))},v0=abc`
    await PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': rolled }), body(payload), NOW)
  })

  it('refuses a wrong signature, a changed body and a header without t or v1', async () => {
    const wrongKey = await header(nowSeconds, payload, 'whsec_other')
    expect(
      (
        await refusal(
          PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': wrongKey }), body(payload), NOW),
        )
      ).code,
    ).toBe('SIGNATURE_INVALID')
    const signed = await header(nowSeconds)
    expect(
      (
        await refusal(
          PRESETS.stripe(
            secret,
            new Headers({ 'Stripe-Signature': signed }),
            body(`${payload} `),
            NOW,
          ),
        )
      ).message,
    ).toMatch(/no v1 signature matches/)
    const noTime = signed.replace(/^t=\d+,/, '')
    expect(
      (
        await refusal(
          PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': noTime }), body(payload), NOW),
        )
      ).message,
    ).toMatch(/no t= timestamp/)
    const onlyV0 = signed.replace('v1=', 'v0=')
    expect(
      (
        await refusal(
          PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': onlyV0 }), body(payload), NOW),
        )
      ).message,
    ).toMatch(/no v1= signature/)
  })

  it('refuses a timestamp more than 5 minutes away, saying it is stale', async () => {
    const stale = await header(nowSeconds - 301)
    const refused = await refusal(
      PRESETS.stripe(secret, new Headers({ 'Stripe-Signature': stale }), body(payload), NOW),
    )
    expect(refused).toEqual({
      code: 'SIGNATURE_STALE',
      message: expect.stringMatching(/301 s old, outside the 300 s tolerance/),
    })
    await PRESETS.stripe(
      secret,
      new Headers({ 'Stripe-Signature': await header(nowSeconds - 300) }),
      body(payload),
      NOW,
    )
  })
})

describe('slack preset', () => {
  // api.slack.com, "Verifying requests from Slack": the documented example request.
  const secret = '8f742231b10e8888abcd99yyyzzz85a5'
  const timestamp = '1531420618'
  const slashCommand =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
  const headers = new Headers({
    'X-Slack-Request-Timestamp': timestamp,
    'X-Slack-Signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  })
  const thenMs = Number(timestamp) * 1000 + 20_000

  it("accepts Slack's documented example at the time it was sent", async () => {
    await PRESETS.slack(secret, headers, body(slashCommand), thenMs)
  })

  it('refuses the same request today: its timestamp is stale', async () => {
    const refused = await refusal(PRESETS.slack(secret, headers, body(slashCommand), NOW))
    expect(refused.code).toBe('SIGNATURE_STALE')
    expect(refused.message).toMatch(/s old, outside the 300 s tolerance/)
  })

  it('refuses a changed body, a missing timestamp and a timestamp from the future', async () => {
    expect(
      (await refusal(PRESETS.slack(secret, headers, body(`${slashCommand}x`), thenMs))).code,
    ).toBe('SIGNATURE_INVALID')
    const noTime = new Headers({ 'X-Slack-Signature': headers.get('X-Slack-Signature')! })
    expect(
      (await refusal(PRESETS.slack(secret, noTime, body(slashCommand), thenMs))).message,
    ).toMatch(/X-Slack-Request-Timestamp header is missing/)
    const future = String(nowSeconds + 400)
    const signed = new Headers({
      'X-Slack-Request-Timestamp': future,
      'X-Slack-Signature': `v0=${hex(await sign(secret, `v0:${future}:hi`))}`,
    })
    expect((await refusal(PRESETS.slack(secret, signed, body('hi'), NOW))).message).toMatch(
      /400 s in the future/,
    )
  })
})

describe('shopify preset', () => {
  const secret = 'shpss_client_secret'
  const order = '{"id":820982911946154500,"email":"jon@example.com"}'

  it('accepts a base64 HMAC-SHA256 of the body and refuses a hex one or another body', async () => {
    const digest = await sign(secret, order)
    await PRESETS.shopify(
      secret,
      new Headers({ 'X-Shopify-Hmac-Sha256': base64(digest) }),
      body(order),
      NOW,
    )
    expect(
      (
        await refusal(
          PRESETS.shopify(
            secret,
            new Headers({ 'X-Shopify-Hmac-Sha256': hex(digest) }),
            body(order),
            NOW,
          ),
        )
      ).code,
    ).toBe('SIGNATURE_INVALID')
    expect(
      (
        await refusal(
          PRESETS.shopify(
            secret,
            new Headers({ 'X-Shopify-Hmac-Sha256': base64(digest) }),
            body(order.replace('jon', 'eve')),
            NOW,
          ),
        )
      ).code,
    ).toBe('SIGNATURE_INVALID')
  })
})

describe('canonical encodings only (issue 20)', () => {
  const payload = '{"type":"page.created"}'

  it('notion: sha256= and lower-case hex over the body, keyed by the verification token', async () => {
    // developers.notion.com/reference/webhooks, "Step 3 - Validating event payloads"
    const token = 'secret_tkn'
    const digits = hex(await sign(token, payload))
    const verified = await PRESETS.notion(
      token,
      new Headers({ 'X-Notion-Signature': `sha256=${digits}` }),
      body(payload),
      NOW,
    )
    expect(hex(verified.mac)).toBe(digits)
    const upper = new Headers({ 'X-Notion-Signature': `sha256=${digits.toUpperCase()}` })
    expect((await refusal(PRESETS.notion(token, upper, body(payload), NOW))).message).toMatch(
      /64 lower-case hex digits/,
    )
  })

  it('github: upper-case hex is refused before any HMAC; shopify: unpadded base64 is refused', async () => {
    const secret = "It's a Secret to Everybody"
    const upper = new Headers({
      'X-Hub-Signature-256':
        'sha256=757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17',
    })
    expect(
      (await refusal(PRESETS.github(secret, upper, body('Hello, World!'), NOW))).message,
    ).toMatch(/lower-case hex/)
    const digest = base64(await sign('shpss', payload))
    const unpadded = new Headers({ 'X-Shopify-Hmac-Sha256': digest.replace(/=+$/, '') })
    expect((await refusal(PRESETS.shopify('shpss', unpadded, body(payload), NOW))).message).toMatch(
      /standard base64/,
    )
  })

  it('stripe: spaces and a malformed v1 are refused; the MAC and timestamp are what it proves', async () => {
    const secret = 'whsec_x'
    const t = String(nowSeconds)
    const v1 = hex(await sign(secret, `${t}.${payload}`))
    const spaced = new Headers({ 'Stripe-Signature': `t=${t}, v1=${v1}` })
    expect((await refusal(PRESETS.stripe(secret, spaced, body(payload), NOW))).message).toMatch(
      /not a name=value element/,
    )
    const short = new Headers({ 'Stripe-Signature': `t=${t},v1=${v1},v1=00` })
    expect((await refusal(PRESETS.stripe(secret, short, body(payload), NOW))).message).toMatch(
      /64 lower-case hex/,
    )
    const reordered = new Headers({ 'Stripe-Signature': `v0=abc,v1=${v1},t=${t}` })
    const verified = await PRESETS.stripe(secret, reordered, body(payload), NOW)
    expect({ mac: hex(verified.mac), signedAt: verified.signedAt }).toEqual({
      mac: v1,
      signedAt: t,
    })
  })
})
