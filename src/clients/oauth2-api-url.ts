import { AutomateError } from '../errors'
import type { OAuth2Data } from './oauth2'
import { presetOf } from './oauth2-presets'
import { baseName, checkWithinBase, withinBase } from './transport/credential-scope'
import { isHttpUrl } from './transport/credential-url'

type OAuthCredential = { name: string; data: OAuth2Data; baseUrl?: string }

/**
 * Where an oauth2 credential's access token may go: under its own baseUrl when it has one, else
 * under its preset's API bases (Google's API hosts, Notion's, Slack's, GitHub's). The generic
 * preset has none: such a credential needs a baseUrl before its token goes anywhere.
 */
export function oauthApiBases(credential: OAuthCredential): URL[] {
  if (credential.baseUrl) return [new URL(credential.baseUrl)]
  return presetOf(credential.data.preset).apiBases.map((base) => new URL(base))
}

/**
 * The URL a generic HTTP call with an oauth2 credential goes to, and the API base it lies
 * under: `raw` as written (filled in from templates or not) when it is under one of the
 * credential's bases, a path resolved against the one base there is, else CREDENTIAL_ORIGIN
 * before anything is sent.
 */
export function oauthApiUrl(raw: string, credential: OAuthCredential): { url: URL; base: URL } {
  const bases = oauthApiBases(credential)
  const who = `Credential ${credential.name}`
  if (bases.length === 0) {
    throw new AutomateError(
      'CREDENTIAL_ORIGIN',
      `${who} is a generic oauth2 credential without a baseUrl, so its token is not sent ` +
        `anywhere: set its baseUrl to the API it opens (PUT /api/credentials/${credential.name})`,
      {
        retryable: false,
        details: [{ path: 'config.credential', message: 'the credential needs a baseUrl' }],
      },
    )
  }
  if (!isHttpUrl(raw)) {
    if (bases.length > 1) {
      throw new AutomateError(
        'CONFIG_INVALID',
        `config.url is a path, but ${who} opens several APIs (${bases.map(baseName).join(', ')}): write the whole URL`,
        { retryable: false, details: [{ path: 'config.url', message: 'must be an absolute URL' }] },
      )
    }
    const base = bases[0]!
    const url = new URL(base.pathname.replace(/\/$/, '') + raw, base)
    return { url: checkWithinBase(url, base, who), base }
  }
  const url = new URL(raw)
  const base = bases.find((b) => withinBase(url, b))
  if (base) return { url, base }
  if (bases.length === 1) return { url: checkWithinBase(url, bases[0]!, who), base: bases[0]! }
  throw new AutomateError(
    'CREDENTIAL_ORIGIN',
    `${who} is only sent under ${bases.map(baseName).join(', ')}; it is not sent to ${url.origin}`,
    {
      retryable: false,
      details: [{ path: 'config.url', message: `must be under ${bases.map(baseName).join(', ')}` }],
    },
  )
}
