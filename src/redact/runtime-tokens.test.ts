import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { forgetGoogleTokens, googleAccessToken, SHEETS_SCOPE } from '../clients/google'
import { readCredential } from '../credentials/read-credential'
import { serviceAccount } from '../../test/google-account'
import { knownSecrets } from './known-secrets'
import { REDACTED, redactText } from './redact'

describe('tokens obtained at run time (issue 20 item 4)', () => {
  it('a Google access token from the token exchange is redacted like the key it came from', async () => {
    forgetGoogleTokens()
    const { credential } = await serviceAccount()
    const account = await readCredential(env, credential, 'google-service-account')
    const token = await googleAccessToken(account, SHEETS_SCOPE)
    expect(knownSecrets()).toContain(token)
    expect(redactText(`Sheets said: bad token ${token}`)).toBe(`Sheets said: bad token ${REDACTED}`)
  })
})
