import { describe, expect, it } from 'vitest'
import { errorMessageOf, readBody } from '../clients/transport/http'
import { admin } from '../../test/helpers'
import { rememberSecret } from './known-secrets'
import { REDACTED, cutText, isSecretName, redactCutEdges, redactError } from './redact'

// Characters no ordinary text puts side by side, so a 5-character window of it is the secret's.
const secret = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(36)), (b, i) =>
    i % 3 === 2 ? '~' : 'QZXJKVWqzxjkvw'[b % 14],
  ).join('')

/** The longest run of consecutive characters of `secret` found in `text`. */
function longestPiece(text: string, secret: string) {
  let longest = 0
  for (let i = 0; i < secret.length; i++)
    for (let k = longest + 1; i + k <= secret.length && text.includes(secret.slice(i, i + k)); k++)
      longest = k
  return longest
}

describe('redaction at a cut (issue 20 item 4)', () => {
  it('errorMessageOf redacts an echoed key before cutting at 300, at every offset', () => {
    const key = secret()
    rememberSecret(key)
    for (let filler = 0; filler <= 400; filler++) {
      const message = errorMessageOf(`${'f'.repeat(filler)}Bearer ${key} trailing`)!
      expect(message.length, `filler ${filler}`).toBeLessThanOrEqual(300 + REDACTED.length)
      expect(longestPiece(message, key), `filler ${filler}`).toBeLessThan(5)
    }
  })

  it("readBody's details.start (not JSON) is redacted before it is cut at 200", async () => {
    const key = secret()
    rememberSecret(key)
    for (const filler of [0, 150, 170, 195, 199]) {
      const response = new Response(`${'f'.repeat(filler)}${key}`, { status: 200 })
      const error = (await readBody(response, { as: 'json' }).catch((e) => e)) as {
        details: { start: string }
      }
      const start = error.details.start
      expect(longestPiece(start, key), `filler ${filler}`).toBeLessThan(5)
    }
  })

  it('hides a known secret cut at either end of a text, and leaves four characters alone', () => {
    const key = secret()
    rememberSecret(key)
    expect(redactCutEdges(`status: ${key.slice(0, 12)}`)).toBe(`status: ${REDACTED}`)
    expect(redactCutEdges(`${key.slice(-9)} was refused`)).toBe(`${REDACTED} was refused`)
    expect(redactCutEdges(`ends ${key.slice(0, 4)}`)).toBe(`ends ${key.slice(0, 4)}`)
    expect(cutText(`${'f'.repeat(90)}${key}`, 100)).toBe(`${'f'.repeat(90)}${REDACTED}`)
    expect(redactCutEdges('an ordinary message')).toBe('an ordinary message')
  })

  it("a step error's details lose a secret's piece at a cut (a node that quotes an answer)", () => {
    const key = secret()
    rememberSecret(key)
    const error = redactError({
      message: 'the model answered badly',
      details: { answer: `${'a'.repeat(480)}${key.slice(0, 20)}` },
    })
    expect(longestPiece(JSON.stringify(error), key)).toBeLessThan(5)
  })
})

describe('secret names and reserved slots (issue 20 item 11)', () => {
  it('hides X-Shopify-Hmac-Sha256 by its name', () => {
    expect(isSecretName('X-Shopify-Hmac-Sha256')).toBe(true)
  })

  it.each(['ENCRYPTION_KEY_2', 'ENCRYPTION_KEY_3', 'ENCRYPTION_KEY_12'])(
    'refuses to save a signature secret named %s',
    async (name) => {
      const response = await admin('/api/workflows', {
        method: 'POST',
        json: {
          name: 'x',
          trigger: { type: 'webhook', signature: { preset: 'github', secret: name } },
          nodes: [{ id: 'a', type: 'transform', config: { expression: '$' } }],
        },
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as { error: { details: { path: string }[] } }
      expect(body.error.details.map((d) => d.path)).toEqual(['trigger.signature.secret'])
    },
  )
})
